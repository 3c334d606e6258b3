// Which hosts a sandboxed command may reach through the filtering proxy: `warden.sandbox.network.allowedDomains`
// entries are exact host names (`registry.npmjs.org`) or `*.example.com` (any subdomain, not the apex).
// Hosts are compared in plain ASCII only: a look-alike or percent-encoded spelling never matches.

export interface DomainPattern {
  /** Lower-case host name without a trailing dot. */
  host: string;
  /** `*.host`: any subdomain of `host`, never `host` itself. */
  subdomains: boolean;
}

export interface DomainAllowlist {
  patterns: readonly DomainPattern[];
  /** Entries that are not a host name, with why: reported, never widened into something that matches. */
  problems: readonly string[];
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A lower-case ASCII host name (letters, digits, `-`, dots), or undefined. IP literals are accepted as-is. */
export function canonicalHost(host: string): string | undefined {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === '' || h.length > 253) return undefined;
  if (/^[0-9a-f:]+$/.test(h) && h.includes(':')) return h; // IPv6 literal
  const labels = h.split('.');
  return labels.every((label) => LABEL.test(label)) ? h : undefined;
}

export function parseAllowedDomains(entries: readonly unknown[]): DomainAllowlist {
  const patterns: DomainPattern[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      problems.push(`${JSON.stringify(entry)} is not a string.`);
      continue;
    }
    const subdomains = entry.trim().startsWith('*.');
    const host = canonicalHost(subdomains ? entry.trim().slice(2) : entry);
    if (host === undefined || host.includes('*')) {
      problems.push(`\`${entry}\` is not a host name (use \`example.com\` or \`*.example.com\`).`);
      continue;
    }
    if (subdomains && !host.includes('.')) {
      problems.push(`\`${entry}\` would allow a whole top-level domain.`);
      continue;
    }
    const key = `${subdomains ? '*.' : ''}${host}`;
    if (seen.has(key)) continue;
    seen.add(key);
    patterns.push({ host, subdomains });
  }
  return { patterns, problems };
}

export function isHostAllowed(host: string, patterns: readonly DomainPattern[]): boolean {
  const h = canonicalHost(host);
  if (h === undefined) return false;
  return patterns.some((p) => (p.subdomains ? h.endsWith(`.${p.host}`) : h === p.host));
}

export function formatDomainPattern(pattern: DomainPattern): string {
  return pattern.subdomains ? `*.${pattern.host}` : pattern.host;
}
