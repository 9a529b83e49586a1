import type { Api } from './client';
import { errorOf } from './client';

const BOM = '\uFEFF';

/**
 * Fetches a file with the key in the header and hands it to the browser as a download, so
 * the key never appears in a URL. CSV comes with a byte-order mark, without which Excel reads
 * UTF-8 as the local code page and mangles names; one is added where an older service left it out.
 */
export async function download(api: Api, path: string, fallbackName: string): Promise<{ name: string; bytes: number }> {
  const response = await api.raw(path);
  if (!response.ok) throw await errorOf(path, response, () => undefined);
  const name = fileName(response.headers.get('Content-Disposition')) ?? fallbackName;
  const type = response.headers.get('Content-Type') ?? 'application/octet-stream';
  let blob = await response.blob();
  if (type.startsWith('text/csv')) {
    const text = await blob.text();
    blob = new Blob([text.startsWith(BOM) ? text : BOM + text], { type: 'text/csv;charset=utf-8' });
  }
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, bytes: blob.size };
}

function fileName(disposition: string | null): string | null {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return match ? match[1] : null;
}
