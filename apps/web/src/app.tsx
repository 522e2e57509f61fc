import { useEffect, useState } from 'preact/hooks';
import { Alert } from './components/alert.js';
import { api, errorText, setCsrfToken } from './lib/api.js';
import { onLinkClick, usePath } from './lib/router.js';
import type { Session } from './lib/types.js';
import { ApiDocsPage } from './pages/api-docs-page.js';
import { AuditPage } from './pages/audit-page.js';
import { ExecutionPage } from './pages/execution-page.js';
import { ExecutionsPage } from './pages/executions-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { WorkersPage } from './pages/workers-page.js';

const TABS: Array<[string, string]> = [
  ['/', 'Jobs'],
  ['/executions', 'Executions'],
  ['/audit-logs', 'Audit logs'],
  ['/workers', 'Workers'],
];

function tabOf(path: string): string {
  if (path.startsWith('/executions')) return '/executions';
  return TABS.some(([p]) => p === path) ? path : '/';
}

/** The shell: who is logged in, the tabs, and the page the path names. */
export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Session>('GET', '/api/v1/session')
      .then((s) => {
        setCsrfToken(s.csrf_token);
        setSession(s);
      })
      .catch((err) => setError(errorText(err)));
  }, []);

  useEffect(() => {
    const tab = TABS.find(([p]) => p === tabOf(path));
    document.title = `${path === '/api-docs' ? 'API' : (tab?.[1] ?? 'Jobs')} — Tickwork`;
  }, [path]);

  if (!session) {
    return (
      <main id="main">
        <Alert message={error} />
        {!error && <p>Loading…</p>}
      </main>
    );
  }
  // With no users, authentication is off and everything is allowed (as in ndscheduler).
  const role = session.role;
  const canEdit = role === null || role === 'editor' || role === 'admin';
  const isAdmin = role === null || role === 'admin';
  const current = tabOf(path);
  const execution = /^\/executions\/([0-9a-f]{32})$/.exec(path)?.[1];

  let page = <JobsPage canEdit={canEdit} />;
  if (execution) page = <ExecutionPage executionId={execution} canEdit={canEdit} />;
  else if (path === '/executions') page = <ExecutionsPage canEdit={canEdit} />;
  else if (path === '/audit-logs') page = <AuditPage />;
  else if (path === '/workers') page = <WorkersPage />;
  else if (path === '/api-docs') page = <ApiDocsPage />;

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/" onClick={onLinkClick}>
          Tickwork
        </a>
        <nav aria-label="Pages">
          <ul>
            {TABS.map(([href, label]) => (
              <li key={href}>
                <a
                  href={href}
                  onClick={onLinkClick}
                  aria-current={current === href && path !== '/api-docs' ? 'page' : undefined}
                >
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <a href="/api-docs" onClick={onLinkClick} aria-current={path === '/api-docs' ? 'page' : undefined}>
            API docs
          </a>
          {isAdmin && <a href="/admin/queues">Bull Board</a>}
          {session.user ? (
            <>
              <span class="user" data-testid="user">
                {session.user} <span class="badge role">{session.role}</span>
              </span>
              <form method="post" action="/logout">
                <button type="submit">Log out</button>
              </form>
            </>
          ) : (
            <span class="muted">authentication off</span>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
