import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowAccess } from '../http/access';
import { METRICS } from '../core/tokens';
import type { Metrics } from './metrics';

/** Prometheus text exposition (API.md "Operations": outside /api/v1, no key, no tenant data). */
@ApiExcludeController()
@Controller('metrics')
@AllowAccess('public')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    const text = await this.metrics.text();
    response.status(200).setHeader('Content-Type', this.metrics.contentType);
    response.setHeader('Cache-Control', 'no-store');
    response.end(text);
  }
}
