/**
 * The support console's pages (issue 17): plain server-rendered HTML, readable on a laptop screen without the
 * Temporal UI, in the language asked for. Pure functions from what the inspector found to a page; every value
 * from a case is escaped.
 */
import { DateTime } from 'luxon';
import { ZONE } from '../../../domain/calendar';
import type { caseStory, StuckCase, StuckListing } from '../../inspector';
import { LANGUAGES, REASONS, UI, stageWords, type Language, type UiWord } from './words';

export type CaseStory = NonNullable<Awaited<ReturnType<typeof caseStory>>>;

export const CONSOLE_PATH = '/support/console';
/** Where the sign-in page's script sends the key, and the route that answers with the session's cookie. */
export const SESSION_URL = '/support/session';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text as HTML, never markup. */
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** An instant as the applicant's clock shows it (Asia/Almaty), e.g. 03.12.2026 09:00. */
export function localTime(iso: string | null | undefined): string {
  return iso ? DateTime.fromISO(iso, { zone: ZONE }).toFormat('dd.MM.yyyy HH:mm') : '—';
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#0b3d62;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff} header .grow{flex:1} header form{display:flex;gap:.4rem}
main{max-width:78rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.4rem;margin:.8rem 0} h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff} th,td{border:1px solid #d0d7de;padding:.4rem .6rem;vertical-align:top;text-align:left}
th{background:#eef1f4;font-weight:600} td.id{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all;min-width:10rem}
code,.error{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-word} .error{color:#a40e26}
.badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;background:#a40e26;color:#fff;font-size:.8rem;font-weight:600}
.reason{font-weight:600} .muted{color:#57606a} details{margin-top:.3rem} summary{cursor:pointer;color:#57606a}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid #0b3d62} ol.timeline li{padding:.2rem 0 .5rem 1rem;position:relative}
ol.timeline li.ahead{color:#57606a;font-style:italic} ol.timeline li::before{content:"";position:absolute;left:-.45rem;top:.55rem;width:.6rem;height:.6rem;border-radius:50%;background:#0b3d62}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0} dt{color:#57606a}
input[type=text],input[type=password]{padding:.3rem .5rem;font:inherit;min-width:18rem} button{font:inherit;padding:.3rem .8rem;cursor:pointer}
nav.pager{display:flex;gap:1rem;margin:1rem 0}
`;

/** A link to a page of the console in a language, escaped for an attribute. */
function href(path: string, lang: Language, query: Record<string, string | number> = {}): string {
  return esc(`${path}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])), lang })}`);
}

/** The frame of every page: the title, the languages, the case search, signing out. */
type Here = { path: string; query?: Record<string, string | number> };

function layout(lang: Language, title: string, body: string, { signedIn = true, here = { path: CONSOLE_PATH } as Here } = {}): string {
  const w = (word: UiWord) => UI[word][lang];
  // The same page in each of the other languages.
  const languages = LANGUAGES.map((l) =>
    l === lang ? `<strong>${l.toUpperCase()}</strong>` : `<a href="${href(here.path, l, here.query)}" hreflang="${l}">${l.toUpperCase()}</a>`,
  ).join(' · ');
  const tools = signedIn
    ? `<form method="get" action="${CONSOLE_PATH}/cases" role="search"><input type="hidden" name="lang" value="${lang}">
<input type="text" name="id" aria-label="${esc(w('search'))}" placeholder="${esc(w('searchHint'))}" required><button>${esc(w('find'))}</button></form>
<form method="post" action="${CONSOLE_PATH}/sign-out"><button>${esc(w('signOut'))}</button></form>`
    : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · ${esc(w('console'))}</title><style>${STYLE}</style></head><body>
<header><a href="${href(CONSOLE_PATH, lang)}"><strong>${esc(w('console'))}</strong></a><span class="grow"></span>${tools}<span>${languages}</span></header>
<main>${body}</main></body></html>`;
}

export function signInPage(lang: Language, then: string): string {
  const w = (word: UiWord) => UI[word][lang];
  return layout(
    lang,
    w('signInTitle'),
    `<h1>${esc(w('signInTitle'))}</h1><p>${esc(w('signInHint'))}</p>
<form id="sign-in" data-then="${esc(then)}"><label>${esc(w('apiKey'))} <input id="key" type="password" autocomplete="off" required></label> <button>${esc(w('signIn'))}</button></form>
<p id="out" class="error" role="alert"></p>
<script>
document.getElementById('sign-in').onsubmit = async (event) => {
  event.preventDefault();
  const r = await fetch('${SESSION_URL}', { method: 'POST', headers: { authorization: 'Bearer ' + document.getElementById('key').value } });
  if (r.ok) location.assign(document.getElementById('sign-in').dataset.then);
  else document.getElementById('out').textContent = (await r.json()).error.message;
};
</script>`,
    { signedIn: false, here: { path: `${CONSOLE_PATH}/sign-in`, query: { then } } },
  );
}

function caseLink(c: StuckCase, lang: Language): string {
  const id = c.complaintId ?? c.applicationId;
  if (!id) return `<span class="muted">${esc(c.workflowId)}</span>`;
  const what = c.complaintId ? `${UI.complaint[lang]} ` : '';
  return `${esc(what)}<a href="${href(`${CONSOLE_PATH}/cases/${encodeURIComponent(id)}`, lang)}">${esc(id)}</a>`;
}

export function stuckPage(lang: Language, listing: StuckListing & { checkedAt: string }): string {
  const w = (word: UiWord) => UI[word][lang];
  const rows = listing.cases
    .map(
      (c) => `<tr data-reason="${esc(c.reason)}"><td><span class="reason">${esc(REASONS[c.reason].name[lang])}</span>
${lang === 'en' ? '' : `<div class="muted"><code>${esc(c.reason)}</code></div>`}</td>
<td class="id">${caseLink(c, lang)}</td><td>${esc(localTime(c.since))}</td>
<td>${c.lastError ? `<span class="error">${esc(c.lastError.slice(0, 400))}</span>` : '<span class="muted">—</span>'}</td>
<td>${esc(REASONS[c.reason].todo[lang])}<details><summary>${esc(w('forEngineers'))}</summary>${esc(c.detail)}<br><code>${esc(c.nextStep)}</code></details></td></tr>`,
    )
    .join('\n');
  const pages = Math.max(1, Math.ceil(listing.total / listing.pageSize));
  const pager =
    pages > 1
      ? `<nav class="pager">${listing.page > 1 ? `<a href="${href(CONSOLE_PATH, lang, { page: listing.page - 1 })}">${esc(w('previous'))}</a>` : ''}
<span>${esc(w('page'))} ${listing.page} / ${pages}</span>${listing.page < pages ? `<a href="${href(CONSOLE_PATH, lang, { page: listing.page + 1 })}" rel="next">${esc(w('next'))}</a>` : ''}</nav>`
      : '';
  const body =
    listing.total === 0
      ? `<p>${esc(w('noneStuck'))}</p>`
      : `${pager}<table><thead><tr><th>${esc(w('reason'))}</th><th>${esc(w('case'))}</th><th>${esc(w('since'))}</th><th>${esc(w('lastError'))}</th><th>${esc(w('nextStep'))}</th></tr></thead>
<tbody>${rows}</tbody></table>${pager}`;
  return layout(
    lang,
    w('stuckTitle'),
    `<h1>${esc(w('stuckTitle'))}</h1><p class="muted">${esc(w('total'))}: <strong id="total">${listing.total}</strong>${listing.truncated ? ` ${esc(w('orMore'))}` : ''} · ${esc(w('checkedAt'))} ${esc(localTime(listing.checkedAt))}</p>${body}`,
    { here: { path: CONSOLE_PATH, query: { page: listing.page } } },
  );
}

export function notFoundPage(lang: Language, id: string): string {
  return layout(
    lang,
    UI.notFound[lang],
    `<h1>${esc(UI.notFound[lang])}</h1><p><code>${esc(id)}</code></p><p>${esc(UI.notFoundHint[lang])}</p>
<p><a href="${href(CONSOLE_PATH, lang)}">${esc(UI.backToList[lang])}</a></p>`,
  );
}

/** The case's story in time order: what happened (stages, documents, complaints) and the terms still ahead. */
function timelineOf(lang: Language, s: CaseStory, now: string): string {
  const w = (word: UiWord) => UI[word][lang];
  const complaintTag = (id: string | null) => (id ? `${esc(w('complaint'))} <code>${esc(id.slice(0, 8))}…</code>: ` : '');
  const entries: Array<{ at: string; html: string; ahead?: boolean }> = [
    { at: s.deadlines.submittedAt, html: esc(w('submittedAt')) },
    ...(s.deadlines.registeredAt ? [{ at: s.deadlines.registeredAt, html: esc(w('registeredAt')) }] : []),
    ...s.stages.map((st) => ({
      at: st.at,
      html: `${complaintTag(st.complaintId)}${esc(stageWords(st.stage, lang))}${st.delivered ? '' : ` <span class="muted">(${esc(w('reportPending'))})</span>`}`,
    })),
    ...s.documents.map((d) => ({
      at: d.createdAt,
      html: `${complaintTag(d.complaintId)}${esc(w('document'))} <code>${esc(d.kind)}</code> (${esc(d.language)})${d.supersededAt ? ` <span class="muted">— ${esc(w('superseded'))}</span>` : ''}`,
    })),
    ...s.complaints.flatMap((c) => [
      { at: c.registeredAt, html: `${complaintTag(c.complaintId)}${esc(w('complaintRegistered'))} (${esc(c.addressee)})` },
      ...(c.decidedAt ? [{ at: c.decidedAt, html: `${complaintTag(c.complaintId)}${esc(w('outcome'))}: ${esc(c.outcome)}` }] : []),
    ]),
  ];
  // Terms still running: where the case must be by when (R3, R13).
  if (s.deadlines.decisionDueAt && !s.decision && s.deadlines.decisionDueAt > now) {
    entries.push({ at: s.deadlines.decisionDueAt, html: esc(w('decisionDueAt')), ahead: true });
  }
  for (const c of s.complaints)
    if (!c.decidedAt && c.dueAt > now) entries.push({ at: c.dueAt, html: `${complaintTag(c.complaintId)}${esc(w('dueAt'))}`, ahead: true });
  if (s.deadlines.complaintPeriodEndsAt && s.deadlines.complaintPeriodEndsAt > now) {
    entries.push({ at: s.deadlines.complaintPeriodEndsAt, html: esc(w('complaintPeriodEndsAt')), ahead: true });
  }
  return entries
    .sort((a, b) => a.at.localeCompare(b.at))
    .map(
      (e) =>
        `<li${e.ahead ? ' class="ahead"' : ''}><strong>${esc(localTime(e.at))}</strong> — ${e.ahead ? `${esc(w('ahead'))}: ` : ''}${e.html}</li>`,
    )
    .join('\n');
}

export function storyPage(lang: Language, s: CaseStory, now: Date, unitName: (id: string) => string = (id) => id): string {
  const w = (word: UiWord) => UI[word][lang];
  const term = (word: UiWord, iso: string | null) => (iso ? `<dt>${esc(w(word))}</dt><dd>${esc(localTime(iso))}</dd>` : '');
  const timeline = timelineOf(lang, s, now.toISOString());
  const pending = s.workflows.flatMap((wf) =>
    wf.pendingActivities.map(
      (a) =>
        `<li><code>${esc(a.activity)}</code>, ${esc(w('attempt'))} ${a.attempt}${a.lastError ? `: <span class="error">${esc(a.lastError)}</span>` : ''}</li>`,
    ),
  );
  const complaints = s.complaints.length
    ? `<table><thead><tr><th>${esc(w('complaint'))}</th><th>${esc(w('addressee'))}</th><th>${esc(w('state'))}</th><th>${esc(w('dueAt'))}</th><th>${esc(w('outcome'))}</th></tr></thead><tbody>
${s.complaints
  .map(
    (c) =>
      `<tr><td class="id">${esc(c.complaintId)}</td><td>${esc(c.addressee)}</td><td>${esc(c.state)}${c.overdue ? ` <span class="badge">${esc(w('overdue'))}</span>` : ''}</td><td>${esc(localTime(c.dueAt))}</td><td>${esc(c.outcome ?? '—')} ${esc(c.decidedAt ? localTime(c.decidedAt) : '')}</td></tr>`,
  )
  .join('\n')}</tbody></table>`
    : `<p class="muted">${esc(w('none'))}</p>`;
  const documents = s.documents.length
    ? `<ul>${s.documents.map((d) => `<li>${esc(localTime(d.createdAt))} — <code>${esc(d.kind)}</code> (${esc(d.language)})${d.round > 1 ? ` ${esc(w('round'))}${d.round}` : ''}${d.supersededAt ? ` <span class="muted">— ${esc(w('superseded'))}</span>` : ''}</li>`).join('')}</ul>`
    : `<p class="muted">${esc(w('none'))}</p>`;
  const waiting = s.outbox.filter((m) => m.status !== 'delivered');
  const outbox = waiting.length
    ? `<ul>${waiting.map((m) => `<li><code>${esc(m.key)}</code> (${esc(m.channel)}): ${esc(w('notDelivered'))}, ${m.attempts} × ${m.lastError ? `<span class="error">${esc(m.lastError)}</span>` : ''}</li>`).join('')}</ul>`
    : `<p>${esc(w('allDelivered'))} (${s.outbox.length})</p>`;
  const gateway = s.gatewayExchanges.length
    ? `<ul id="gateway">${s.gatewayExchanges.map((e) => `<li>${esc(localTime(e.at))} — ${esc(e.interaction)} (<code>${esc(e.serviceId)}</code>) <code>${esc(e.messageId)}</code>: <code>${esc(e.statusCode)}</code></li>`).join('')}</ul>`
    : `<p class="muted">${esc(w('none'))}</p>`;
  const identity = s.identity
    ? `<dt>${esc(w('identity'))}</dt><dd id="identity">${
        s.identity.register === 'confirmed'
          ? `${esc(s.identity.registerName ?? '')} — ${esc(w('identityConfirmed'))}`
          : s.identity.register === 'name-differs'
            ? `<strong>${esc(s.identity.registerName ?? '')}</strong> — ${esc(w('identityDiffers'))} ${esc(s.identity.submittedName)}`
            : `<span class="error">${esc(w('identityNotFound'))}</span>`
      }</dd>`
    : '';
  const decision = s.decision
    ? `<dt>${esc(w('decision'))}</dt><dd>${esc(s.decision.decision)}${s.decision.grounds.length ? ` (${esc(s.decision.grounds.join(', '))})` : ''} — ${esc(s.decision.official)}, ${esc(localTime(s.decision.decidedAt))}</dd>`
    : '';
  const body = `<p><a href="${href(CONSOLE_PATH, lang)}">${esc(w('backToList'))}</a></p>
<h1>${esc(w('application'))} <code>${esc(s.applicationId)}</code></h1>
<p>${esc(w('state'))}: <strong id="state">${esc(stageWords(s.state, lang))}</strong>${s.overdue ? ` <span class="badge">${esc(w('overdue'))}</span>` : ''} · ${esc(w('round'))}${s.round}</p>
<dl><dt>${esc(w('category'))}</dt><dd>${esc(s.category)}</dd><dt>${esc(w('channel'))}</dt><dd>${esc(s.channel)}</dd>
<dt>${esc(w('provider'))}</dt><dd>${esc(unitName(s.providerUnit))} <span class="muted"><code>${esc(s.providerUnit)}</code></span></dd><dt>${esc(w('standard'))}</dt><dd>${esc(s.standard)}</dd>${identity}${decision}</dl>
<h2>${esc(w('deadlines'))}</h2><dl>${term('submittedAt', s.deadlines.submittedAt)}${term('registeredAt', s.deadlines.registeredAt)}${term('decisionDueAt', s.deadlines.decisionDueAt)}${term('complaintPeriodEndsAt', s.deadlines.complaintPeriodEndsAt)}${term('preTrialCompletedAt', s.deadlines.preTrialCompletedAt)}</dl>
<h2>${esc(w('timeline'))}</h2><ol class="timeline" id="timeline">${timeline}</ol>
<h2>${esc(w('working'))}</h2>${pending.length ? `<ul>${pending.join('')}</ul>` : `<p class="muted">${esc(w('nothingRunning'))}</p>`}
<h2>${esc(w('complaints'))}</h2>${complaints}
<h2>${esc(w('documents'))}</h2>${documents}
<h2>${esc(w('outbox'))}</h2>${outbox}
<h2>${esc(w('gateway'))}</h2>${gateway}
<h2>${esc(w('workflows'))}</h2><ul>${s.workflows.map((wf) => `<li><code>${esc(wf.workflowId)}</code>: ${esc(wf.status)}, ${wf.historyLength} ${esc(w('events'))}</li>`).join('')}</ul>`;
  return layout(lang, `${w('application')} ${s.applicationId}`, body, {
    here: { path: `${CONSOLE_PATH}/cases/${encodeURIComponent(s.applicationId)}` },
  });
}
