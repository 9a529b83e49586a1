import { compareText, type LedgerView } from './ledger-view';

export interface UnrecognizedIdentifierItem {
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** Current subscriptions of it, excluded ones too. */
  readonly assignedCount: number;
  readonly firstSeenAt: string;
}

/** SKUs the catalog does not know: listed with how many users hold them, never dropped. */
export function unrecognizedIdentifiers(view: LedgerView): UnrecognizedIdentifierItem[] {
  const { unrecognized } = view.catalog;
  const counts = new Map<string, number>();
  for (const identifier of unrecognized.values()) counts.set(identifier.skuId.toLowerCase(), 0);
  if (counts.size > 0) {
    // Graph spells a skuId one way throughout, so lower-casing once per distinct id is enough.
    const keys = new Map<string, string>();
    for (const user of view.subscriptions.users.values()) {
      for (const license of user.licenses.values()) {
        let key = keys.get(license.skuId);
        if (key === undefined) keys.set(license.skuId, (key = license.skuId.toLowerCase()));
        const count = counts.get(key);
        if (count !== undefined) counts.set(key, count + 1);
      }
    }
  }
  const items: UnrecognizedIdentifierItem[] = [];
  for (const identifier of unrecognized.values()) {
    items.push({
      skuId: identifier.skuId,
      skuPartNumber: identifier.skuPartNumber,
      assignedCount: counts.get(identifier.skuId.toLowerCase()) ?? 0,
      firstSeenAt: identifier.firstSeenAt,
    });
  }
  return items.sort((a, b) => compareText(a.skuPartNumber, b.skuPartNumber) || compareText(a.skuId, b.skuId));
}
