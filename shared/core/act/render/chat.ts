import type { PageMessage } from '../actions.js';
import { headlineWithReason } from './page.js';
import { capCodePoints } from './sanitize.js';

/**
 * Chat payloads for the SOC channel. Slack: `&`, `<`, `>` are its control characters (`<!here>`,
 * `<@U123>`, `<https://x|click>`), so they are entity-escaped as Slack documents; formatting is off and
 * link unfurling too. Teams: the text goes in Adaptive Card `TextRun`s, which Teams never reads as
 * Markdown (a `TextBlock` or `FactSet` would), so `[x](http://y)` or `<at>` stay literal.
 */

/** Slack's limit is 40,000; a channel message wants the first screenful. */
const CHAT_MAX = 3_000;

/** Lines a chat message shows: the headline (with any reason), then the facts. */
export function chatLines(page: PageMessage): string[] {
  return [headlineWithReason(page), ...page.facts.map((f) => `${f.label}: ${f.value}`)];
}

export function escapeSlack(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackMessage {
  text: string;
  mrkdwn: false;
  unfurl_links: false;
  unfurl_media: false;
}

export function toSlack(page: PageMessage): SlackMessage {
  const text = escapeSlack(capCodePoints(chatLines(page).join('\n'), CHAT_MAX));
  return { text, mrkdwn: false, unfurl_links: false, unfurl_media: false };
}

export interface TeamsMessage {
  type: 'message';
  attachments: {
    contentType: 'application/vnd.microsoft.card.adaptive';
    content: {
      $schema: string;
      type: 'AdaptiveCard';
      version: '1.4';
      body: { type: 'RichTextBlock'; inlines: { type: 'TextRun'; text: string; weight?: 'Bolder' }[] }[];
    };
  }[];
}

export function toTeams(page: PageMessage): TeamsMessage {
  const [first = '', ...rest] = chatLines(page).map((l) => capCodePoints(l, 600));
  const body: TeamsMessage['attachments'][number]['content']['body'] = [
    { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: first, weight: 'Bolder' }] },
    ...rest.map((line) => ({ type: 'RichTextBlock' as const, inlines: [{ type: 'TextRun' as const, text: line }] })),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
        },
      },
    ],
  };
}
