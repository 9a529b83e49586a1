import { Injectable } from '@nestjs/common';
import type { Response } from 'express';

const MAX_PAGES = 256;

/**
 * The JSON text of answered pages. A page is fully determined by the memoised list it is cut
 * from (profile, folded position, moment) and the page query, so many clients paging the same
 * list share one serialisation and one ETag (Express's own function, so the header is the one
 * it would compute) instead of each request re-serialising and re-hashing 100 items.
 */
@Injectable()
export class SerializedPages {
  private readonly pages = new Map<string, { readonly text: string; readonly etag: string | undefined }>();

  /** Sets the headers `res.json` would and returns the body text, from the cache when `key` was answered before. */
  json(res: Response, key: string, build: () => unknown): string {
    let page = this.pages.get(key);
    if (!page) {
      const text = JSON.stringify(build());
      const etagOf = res.app?.get('etag fn') as ((body: Buffer, encoding?: string) => string | undefined) | undefined;
      page = { text, etag: typeof etagOf === 'function' ? etagOf(Buffer.from(text, 'utf8')) : undefined };
      this.pages.set(key, page);
      if (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (page.etag) res.setHeader('ETag', page.etag);
    return page.text;
  }
}
