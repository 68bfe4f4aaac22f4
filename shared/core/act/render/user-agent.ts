import { sanitizeText } from './sanitize.js';

/**
 * "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:120.0) Gecko/20100101 Firefox/120.0" → "Firefox/120 on macOS".
 * A page has one line; the full user agent stays in the ticket. First match wins in each table, so
 * the more specific patterns (Edge and Opera also say Chrome; Chrome also says Safari) come first.
 */

const CLIENTS: readonly { pattern: RegExp; name: string; keepMinor?: boolean }[] = [
  { pattern: /\bEdg(?:e|A|iOS)?\/(\d+)/, name: 'Edge' },
  { pattern: /\bOPR\/(\d+)/, name: 'Opera' },
  { pattern: /\bFirefox\/(\d+)/, name: 'Firefox' },
  { pattern: /\b(?:Chrome|CriOS)\/(\d+)/, name: 'Chrome' },
  { pattern: /\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, name: 'Safari' },
  { pattern: /\baws-cli\/(\d+\.\d+\.\d+)/, name: 'aws-cli', keepMinor: true },
  { pattern: /\bBoto3\/(\d+\.\d+\.\d+)/, name: 'Boto3', keepMinor: true },
  { pattern: /\baws-sdk-([a-z]+)\/(\d+\.\d+\.\d+)/, name: 'aws-sdk' },
  { pattern: /\bTerraform\/(\d+\.\d+\.\d+)/, name: 'Terraform', keepMinor: true },
  { pattern: /\bgoogle-cloud-sdk\/?(\d+\.\d+\.\d+)?/, name: 'gcloud', keepMinor: true },
  { pattern: /\bazure-cli\/(\d+\.\d+\.\d+)/, name: 'azure-cli', keepMinor: true },
];

const SYSTEMS: readonly { pattern: RegExp; name: string }[] = [
  { pattern: /\b(?:iPhone|iPad|iPod)\b/, name: 'iOS' },
  { pattern: /\bAndroid\b/, name: 'Android' },
  { pattern: /\bCrOS\b/, name: 'ChromeOS' },
  { pattern: /\bMac OS X\b|\bMacintosh\b|\bDarwin\//, name: 'macOS' },
  { pattern: /\bWindows\b|\bwin32\b/i, name: 'Windows' },
  { pattern: /\bLinux\b/i, name: 'Linux' },
];

/** Longest shortened form kept; a page line has room for little more. */
const MAX_SHORT = 48;

/** A short, inert description of a user agent, or undefined when there is none. */
export function shortUserAgent(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const ua = sanitizeText(userAgent, 512);
  if (ua === '') return undefined;
  const client = matchClient(ua);
  const system = SYSTEMS.find((s) => s.pattern.test(ua))?.name;
  const head = client ?? sanitizeText(ua.split(' ')[0], 32);
  return sanitizeText(system && !head.includes(system) ? `${head} on ${system}` : head, MAX_SHORT);
}

function matchClient(ua: string): string | undefined {
  for (const { pattern, name, keepMinor } of CLIENTS) {
    const m = pattern.exec(ua);
    if (!m) continue;
    if (name === 'aws-sdk') return `aws-sdk-${m[1]}/${m[2]}`;
    const version = m[1];
    if (version === undefined) return name;
    return `${name}/${keepMinor ? version : version.split('.')[0]}`;
  }
  return undefined;
}
