import { Controller, Get, Headers, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowAccess } from '../http/access';
import type { ConsoleAssets, ConsoleFile } from './console-assets';

export const CONSOLE_ASSETS = Symbol('ConsoleAssets');

/**
 * Only this origin: the console works offline and nothing it loads can come from elsewhere.
 * No inline script or style either (Preact sets styles through the CSSOM, which CSP allows).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The web console: `GET /` and its content-hashed assets, no key needed (the data behind it needs one). */
@ApiExcludeController()
@Controller()
@AllowAccess('public')
export class ConsoleController {
  constructor(@Inject(CONSOLE_ASSETS) private readonly files: ConsoleAssets) {}

  @Get()
  index(@Headers('if-none-match') etag: string | undefined, @Res() response: Response) {
    // Always revalidated: a new build must reach the browser at once; the assets it names are immutable.
    send(response, this.files.index, 'no-cache', etag);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Headers('if-none-match') etag: string | undefined, @Res() response: Response) {
    const file = this.files.assets.get(name);
    if (!file) throw new NotFoundException(`no console asset named ${name}`);
    send(response, file, 'public, max-age=31536000, immutable', etag);
  }

  @Get('favicon.svg')
  icon(@Headers('if-none-match') etag: string | undefined, @Res() response: Response) {
    const file = this.files.root.get('favicon.svg');
    if (!file) throw new NotFoundException('the console has no icon');
    send(response, file, 'public, max-age=86400', etag);
  }
}

function send(response: Response, file: ConsoleFile, cacheControl: string, ifNoneMatch: string | undefined): void {
  response.setHeader('Content-Security-Policy', CONSOLE_CSP);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('ETag', file.etag);
  if (ifNoneMatch === file.etag) {
    response.status(304).end();
    return;
  }
  response.status(200).type(file.contentType).send(file.body);
}
