import { request as httpsRequest } from 'node:https';

/** One hop of the browser's redirect chain: the sandbox signs the admin in and redirects back. */
export function followOnce(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca }, (res) => {
      res.resume();
      if (res.statusCode !== 302 || !res.headers.location)
        reject(new Error(`expected a redirect, got ${res.statusCode}`));
      else resolve(res.headers.location);
    });
    req.on('error', reject);
    req.end();
  });
}
