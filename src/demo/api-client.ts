/** A small client for the service's own HTTP API, used by the demo exactly as a user's script would. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async get<T = any>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  async post<T = any>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  async all<T = any>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await this.get(
        `${path}${sep}limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.key}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${parsed?.detail ?? text}`);
    return parsed as T;
  }
}
