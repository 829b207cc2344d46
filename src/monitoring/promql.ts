/** Small helpers that keep the PromQL of the rules readable. */

/** A label matcher: an exact value, `{ regex }` for `=~`, or `{ notRegex }` for `!~`. */
export type Matcher = string | { readonly regex: string } | { readonly notRegex: string };

/** `metric{a="x", b=~"y"}`, values quoted as PromQL strings. */
export function selector(metric: string, matchers: Record<string, Matcher>): string {
  const parts = Object.entries(matchers).map(([label, m]) =>
    typeof m === 'string' ? `${label}=${quote(m)}` : 'regex' in m ? `${label}=~${quote(m.regex)}` : `${label}!~${quote(m.notRegex)}`);
  return `${metric}{${parts.join(', ')}}`;
}

/** A PromQL string literal (Go escapes, which JSON's are a subset of for these characters). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** A constant series: `vector(value)` with each of `labels` set by `label_replace`, in order. */
export function constantSeries(value: string, labels: Record<string, string>): string {
  return Object.entries(labels).reduce((expr, [label, v]) => `label_replace(${expr}, ${quote(label)}, ${quote(v)}, "", "")`, `vector(${value})`);
}

export function rate(series: string, window: string): string {
  return `rate(${series}[${window}])`;
}

export function sumBy(labels: readonly string[], expr: string): string {
  return `sum by (${labels.join(', ')}) (${expr})`;
}

/**
 * `bad / total`, but 0 rather than nothing when no `bad` series exists yet
 * while there is traffic (Envoy creates some counters at their first use).
 */
export function ratio(bad: string, total: string): string {
  return `(${bad} or 0 * ${total}) / ${total}`;
}

/** A number as PromQL and annotations print it: no binary noise such as `0.0009999999999999432`. */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}
