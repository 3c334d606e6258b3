// Token usage in words, the same in the chat header and the status bar: short token counts, costs per currency,
// and "estimate" wherever a number was counted locally rather than reported by the server. Imports nothing.
import type { ContextFillView, UsageTotalsView } from './protocol';

/** 950 → "950", 12_345 → "12.3k", 1_234_567 → "1.23M". */
export function formatTokens(count: number): string {
  if (count < 1_000) return String(Math.round(count));
  if (count < 1_000_000) return `${trim((count / 1_000).toFixed(count < 10_000 ? 2 : 1))}k`;
  return `${trim((count / 1_000_000).toFixed(2))}M`;
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** 0.0136 USD → "$0.014", 1.5 EUR → "1.50 EUR": amounts below one keep two significant digits, never "0.00". */
export function formatCost(amount: number, currency: string): string {
  const number = amount > 0 && amount < 1 ? amount.toPrecision(2) : amount.toFixed(2);
  return currency === 'USD' ? `$${number}` : `${number} ${currency}`;
}

export function costText(totals: UsageTotalsView): string {
  return totals.cost.map((entry) => formatCost(entry.amount, entry.currency)).join(' + ');
}

/** "1.2k in · 340 out", with reasoning and cost when there are any. */
export function totalsText(totals: UsageTotalsView): string {
  const parts = [`${formatTokens(totals.inputTokens)} in`, `${formatTokens(totals.outputTokens)} out`];
  if (totals.reasoningTokens > 0) parts.push(`${formatTokens(totals.reasoningTokens)} reasoning`);
  const cost = costText(totals);
  if (cost !== '') parts.push(cost);
  return parts.join(' · ');
}

/** Every number of a total, one per line, for a tooltip. */
export function totalsDetail(title: string, totals: UsageTotalsView): string {
  const lines = [
    `${title} (${totals.calls} model call${totals.calls === 1 ? '' : 's'})`,
    `  Input: ${totals.inputTokens.toLocaleString('en-US')} tokens` +
      (totals.cachedInputTokens > 0 ? ` (${totals.cachedInputTokens.toLocaleString('en-US')} cached)` : ''),
    `  Output: ${totals.outputTokens.toLocaleString('en-US')} tokens` +
      (totals.reasoningTokens > 0 ? ` (${totals.reasoningTokens.toLocaleString('en-US')} reasoning)` : ''),
  ];
  const cost = costText(totals);
  if (cost !== '')
    lines.push(`  Cost: ${cost}${totals.unpricedCalls > 0 ? ` (${totals.unpricedCalls} calls without a price)` : ''}`);
  else lines.push('  Cost: no price set for this profile');
  if (totals.estimatedCalls > 0)
    lines.push(
      `  Estimate: ${totals.estimatedCalls} of ${totals.calls} calls counted locally (the server reported no usage)`,
    );
  return lines.join('\n');
}

export function isEstimate(totals: UsageTotalsView): boolean {
  return totals.estimatedCalls > 0;
}

/** The context fill as a percentage (0–100, may exceed 100 when the window setting is too small). */
export function contextPercent(context: ContextFillView): number {
  return context.windowTokens > 0 ? Math.round((context.usedTokens / context.windowTokens) * 100) : 0;
}

/** "42% of 128k context". */
export function contextText(context: ContextFillView): string {
  const estimate = context.estimated ? ' (estimate)' : '';
  return `${contextPercent(context)}% of ${formatTokens(context.windowTokens)} context${estimate}`;
}
