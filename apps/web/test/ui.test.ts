// End to end, as a person would: headless Chromium (Debian's package, driven by playwright-core; never a
// downloaded browser) against a real API and a real worker process, with a login. Screenshots of each page
// go to docs/screenshots (the README shows two of them).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_FIELD_NAMES } from '@tickwork/domain';
import { REPO_ROOT } from '@tickwork/local-services';
import { loginCookie, spawnWorker, testEnvironment } from '@tickwork/testing';
import { startApi } from '@tickwork/testkit';
import { chromium, type Locator, type Page } from 'playwright-core';
import t from 'tap';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const WAIT = 20_000;

const environment = testEnvironment(t, {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Very$ecret',
});
const api = await startApi(t, environment);
const worker = await spawnWorker(t, environment, { WORKER_TAGS: 'backup' });
mkdirSync(SHOTS, { recursive: true });

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
t.teardown(() => browser.close());
const context = await browser.newContext({
  viewport: { width: 1280, height: 860 },
  locale: 'en-GB',
  timezoneId: 'UTC',
});
const page = await context.newPage();
page.setDefaultTimeout(WAIT);
const pageErrors: string[] = [];
page.on('pageerror', (err) => pageErrors.push(err.message));
page.on('dialog', (dialog) => {
  pageErrors.push(`unexpected browser dialog: ${dialog.message()}`);
  void dialog.dismiss();
});

const NAME = 'e2e <b>hello</b>';
const EDITED = 'e2e <b>hello</b> edited';

async function shot(name: string, target: Page | Locator = page): Promise<void> {
  await target.screenshot({ path: join(SHOTS, `${name}.png`) });
}

function jobRow(name: string): Locator {
  return page.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name }) });
}

async function openTab(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

t.test('log in: the login page, then the Jobs page with who I am', async (t) => {
  await page.goto(`${api.base}/`);
  await page.waitForURL(/\/login$/);
  await shot('login');
  await page.getByLabel('Username', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('Very$ecret');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/');
  t.match(await page.getByTestId('user').textContent(), /admin\s*admin/);
  t.ok(await page.getByRole('link', { name: 'Bull Board' }).isVisible(), 'admins see Bull Board');
  t.ok(await page.getByRole('link', { name: 'API docs' }).isVisible());
});

t.test('create a job through the dialog: class help, arguments checked as typed, next runs previewed', async (t) => {
  await page.getByRole('button', { name: 'New job' }).click();
  const dialog = page.getByRole('dialog', { name: 'New job' });
  await dialog.waitFor();
  await dialog.getByLabel('Name', { exact: true }).fill(NAME);
  await dialog.getByLabel('Job class', { exact: true }).selectOption('simple_scheduler.jobs.shell_job.ShellJob');
  await dialog.getByText('Runs an executable with its arguments').waitFor();
  t.ok(await dialog.getByText('Executable path').isVisible(), 'argument help');
  t.ok(await dialog.getByText('["/bin/echo", "hello", "world"]').isVisible(), 'example');

  const args = dialog.getByLabel('Arguments (JSON array)', { exact: true });
  await args.fill('["/bin/sh", ');
  await dialog.getByText(/Not valid JSON/).waitFor();
  t.equal(await args.getAttribute('aria-invalid'), 'true');
  t.ok(await dialog.getByRole('button', { name: 'Create job' }).isDisabled(), 'no saving broken JSON');
  await args.fill('{"a": 1}');
  await dialog.getByText('Arguments must be a JSON array').waitFor();
  await args.fill('["/bin/sh", "-c", "echo hello from e2e; echo oops >&2"]');
  await dialog.getByText('✓ 3 argument(s)').waitFor();

  // A bad field is named in the preview, in words.
  await dialog.getByLabel('Minute', { exact: true }).fill('99');
  await dialog
    .locator('.preview')
    .getByText(/minute/)
    .waitFor();
  await dialog.getByLabel('Second', { exact: true }).fill('0');
  await dialog.getByLabel('Minute', { exact: true }).fill('0');
  await dialog.getByLabel('Hour', { exact: true }).fill('3');
  const preview = dialog.locator('.preview li');
  await preview.filter({ hasText: '03:00:00 UTC' }).nth(4).waitFor();
  t.equal(await preview.count(), 5, 'five next runs');
  await dialog.getByLabel('Timeout (s)', { exact: true }).fill('120');
  await dialog.getByLabel('Retries', { exact: true }).fill('0');
  // Every field of the job contract is offered, under its own name, and checked as it is typed.
  for (const field of JOB_FIELD_NAMES) {
    t.equal(await dialog.locator(`[name="${field}"]`).count(), 1, `the form offers ${field}`);
  }
  const grace = dialog.getByLabel('Misfire grace (s)', { exact: true });
  await grace.fill('soon');
  await dialog.getByText('a whole number').waitFor();
  t.equal(await grace.getAttribute('aria-invalid'), 'true');
  t.ok(await dialog.getByRole('button', { name: 'Create job' }).isDisabled(), 'no saving a bad field');
  await grace.fill('60');
  await dialog.getByLabel('Description', { exact: true }).fill('Says hello, nightly');
  await shot('job-dialog', dialog);
  await dialog.getByRole('button', { name: 'Create job' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = jobRow(NAME);
  await row.waitFor();
  t.match(await row.textContent(), /at 03:00/, 'schedule in words');
  t.match(await row.textContent(), /Says hello, nightly/, 'the description under the name');
  t.match(await row.textContent(), /sec 0 · min 0 · hour 3/, 'raw fields');
  t.equal(await row.locator('b').count(), 0, 'the name is text, not markup');
  t.match(await page.locator('.totals').textContent(), /1 jobs · 1 active · 0 paused/);
});

t.test('the dialog closes with Escape and says why a save failed', async (t) => {
  await page.getByRole('button', { name: 'New job' }).click();
  const dialog = page.getByRole('dialog', { name: 'New job' });
  await dialog.waitFor();
  await dialog.getByLabel('Name', { exact: true }).fill('bad');
  await dialog.getByLabel('Day of month', { exact: true }).fill('32');
  await dialog.getByRole('button', { name: 'Create job' }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  t.match(await alert.textContent(), /Not saved: .*day/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
});

t.test('run it now and watch it succeed, with its result and output', async (t) => {
  await page.getByRole('button', { name: `Run ${NAME} now` }).click();
  await page.getByRole('link', { name: 'Watch the run' }).click();
  await page.getByRole('heading', { level: 1, name: `Run of ${NAME}` }).waitFor();
  await page.locator('.toolbar .badge', { hasText: 'succeeded' }).waitFor();
  await page.getByTestId('result').filter({ hasText: '"returncode": 0' }).waitFor();
  const output = page.getByTestId('output');
  await output.filter({ hasText: 'hello from e2e' }).waitFor();
  t.match(await output.textContent(), /hello from e2e\n\[warn\] oops/);
  t.match(await page.locator('.facts').textContent(), new RegExp(`Host / pid.*/ ${worker.pid}`));
  await shot('execution');
});

t.test('the executions page: counts, chart and the run in the table', async (t) => {
  await openTab('Executions');
  const row = page.locator('tbody tr').filter({ hasText: NAME });
  await row.filter({ hasText: 'succeeded' }).waitFor();
  t.match(await page.getByRole('list', { name: 'Runs per state' }).textContent(), /1 total.*1 succeeded/);
  t.equal(await page.getByRole('img', { name: /Runs over time: 1 in range/ }).count(), 1);
  await page.getByText('Last 24 hours').click();
  await row.waitFor();
  await shot('executions');
});

t.test('pause and resume it', async (t) => {
  await openTab('Jobs');
  const row = jobRow(NAME);
  await row.getByRole('button', { name: `Pause ${NAME}` }).click();
  await row.locator('.badge', { hasText: 'paused' }).waitFor();
  t.match(await page.locator('.totals').textContent(), /0 active · 1 paused/);
  await row.getByRole('button', { name: `Resume ${NAME}` }).click();
  await row.locator('.badge', { hasText: 'active' }).waitFor();
});

t.test('edit it: the dialog is filled in, the preview follows the new schedule', async (t) => {
  await jobRow(NAME)
    .getByRole('button', { name: `Edit ${NAME}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Edit job ${NAME}` });
  await dialog.waitFor();
  t.equal(await dialog.getByLabel('Hour', { exact: true }).inputValue(), '3');
  t.equal(await dialog.getByLabel('Timeout (s)', { exact: true }).inputValue(), '120');
  t.equal(await dialog.getByLabel('Misfire grace (s)', { exact: true }).inputValue(), '60', 'every field was saved');
  await dialog.getByLabel('Name', { exact: true }).fill(EDITED);
  await dialog.getByLabel('Minute', { exact: true }).fill('30');
  await dialog.locator('.preview li').filter({ hasText: '03:30:00 UTC' }).nth(4).waitFor();
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.waitFor({ state: 'detached' });
  await jobRow(EDITED).filter({ hasText: 'at 03:30' }).waitFor();
  t.pass('saved');
});

t.test('a crontab line instead of the fields: previewed, saved, shown in the Schedule column', async (t) => {
  await jobRow(EDITED)
    .getByRole('button', { name: `Edit ${EDITED}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Edit job ${EDITED}` });
  await dialog.waitFor();
  const line = dialog.getByLabel('Crontab line (instead of the fields)', { exact: true });
  t.equal(await line.inputValue(), '', 'a job with APScheduler fields has no line');
  await line.fill('15 4 * * *');
  await dialog.locator('.preview li').filter({ hasText: '04:15:00 UTC' }).nth(4).waitFor();
  t.ok(await dialog.getByLabel('Minute', { exact: true }).isDisabled(), 'the fields are not used meanwhile');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.waitFor({ state: 'detached' });
  await jobRow(EDITED).filter({ hasText: 'cron 15 4 * * *' }).waitFor();

  // Emptying the line goes back to the fields, from the defaults rather than the '*' placeholders.
  await jobRow(EDITED)
    .getByRole('button', { name: `Edit ${EDITED}` })
    .click();
  await dialog.waitFor();
  t.equal(await line.inputValue(), '15 4 * * *');
  await line.fill('');
  await dialog.getByLabel('Minute', { exact: true }).fill('30');
  await dialog.getByLabel('Hour', { exact: true }).fill('3');
  await dialog.locator('.preview li').filter({ hasText: '03:30:00 UTC' }).nth(4).waitFor();
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.waitFor({ state: 'detached' });
  await jobRow(EDITED).filter({ hasText: 'at 03:30' }).waitFor();
  t.pass('back to the fields');
});

t.test('worker tags: typed comma-separated, shown, and a badge while no live worker has them', async (t) => {
  const edit = async () => {
    await jobRow(EDITED)
      .getByRole('button', { name: `Edit ${EDITED}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Edit job ${EDITED}` });
    await dialog.waitFor();
    return { dialog, tags: dialog.getByLabel('Worker tags (comma-separated)', { exact: true }) };
  };
  let { dialog, tags } = await edit();
  await tags.fill('GPU!');
  await dialog.getByText(/tags of letters a-z/).waitFor();
  t.ok(await dialog.getByRole('button', { name: 'Save changes' }).isDisabled(), 'no saving a bad tag');
  await tags.fill('gpu, backup');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = jobRow(EDITED);
  await row.locator('[data-unserved]').filter({ hasText: 'no live worker with tags: gpu' }).waitFor();
  t.match(await row.locator('[data-worker-tags]').textContent(), /tags: backup, gpu/);

  ({ dialog, tags } = await edit());
  t.equal(await tags.inputValue(), 'backup,gpu', 'the dialog shows the tags');
  await tags.fill('backup');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.locator('[data-worker-tags]').filter({ hasText: 'tags: backup' }).waitFor();
  // The badge comes from the workers list, polled apart from the jobs: it goes at that list's next refresh.
  await row.locator('[data-unserved]').waitFor({ state: 'detached' });
  t.pass('a live worker has the tag: no badge');

  ({ dialog, tags } = await edit());
  await tags.fill('');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.locator('[data-worker-tags]').waitFor({ state: 'detached' });
  t.pass('no tags again');
});

t.test('a job only after another: picked in the dialog, shown with what it waits for and what waits', async (t) => {
  const CHAINED = 'e2e <i>chained</i>';
  await page.getByRole('button', { name: 'New job' }).click();
  const dialog = page.getByRole('dialog', { name: 'New job' });
  await dialog.waitFor();
  await dialog.getByLabel('Name', { exact: true }).fill(CHAINED);
  await dialog.getByLabel('Job class', { exact: true }).selectOption('simple_scheduler.jobs.sample_job.AwesomeJob');
  t.ok(await dialog.getByLabel('When its run', { exact: true }).isDisabled(), 'no upstream picked: nothing to choose');
  const upstream = await jobRow(EDITED).getAttribute('data-job-id');
  await dialog.getByLabel('Run after', { exact: true }).selectOption(upstream as string);
  await dialog.getByLabel('When its run', { exact: true }).selectOption('finished');
  await dialog.getByLabel('Only then (no schedule of its own)').check();
  t.ok(await dialog.getByLabel('Minute', { exact: true }).isDisabled(), 'no schedule to fill in');
  await dialog.getByText('once for each of its runs that finished (any end)').waitFor();
  await shot('job-dialog-after', dialog);
  await dialog.getByRole('button', { name: 'Create job' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = jobRow(CHAINED);
  await row.filter({ hasText: `after "${EDITED}" finished (any end)` }).waitFor();
  t.match(await row.textContent(), /only after another job/);
  t.match(await row.textContent(), /after its upstream/, 'its next run');
  t.match(await row.textContent(), /active/);
  t.equal(await row.locator('i').count(), 0, 'names are text');
  await jobRow(EDITED)
    .filter({ hasText: `before: "${CHAINED}"` })
    .waitFor();
  t.pass('the upstream shows what waits for it');

  // Edited, it keeps what it waits for; then it is removed, leaving the rest as it was.
  await row.getByRole('button', { name: `Edit ${CHAINED}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit job ${CHAINED}` });
  await edit.waitFor();
  t.equal(await edit.getByLabel('Run after', { exact: true }).inputValue(), upstream);
  t.ok(await edit.getByLabel('Only then (no schedule of its own)').isChecked());
  await edit.getByRole('button', { name: 'Cancel' }).click();
  const removed = await api.request('DELETE', `/api/v1/jobs/${await row.getAttribute('data-job-id')}`, undefined, {
    cookie: await loginCookie(api.base, 'admin', 'Very$ecret'),
  });
  t.equal(removed.status, 200);
});

t.test('readable on a phone: nothing wider than the screen', async (t) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openTab('Jobs');
  const overflow = await page.evaluate('document.documentElement.scrollWidth');
  t.ok(Number(overflow) <= 390, `page width ${overflow}`);
  await shot('jobs-phone');
  await page.setViewportSize({ width: 1280, height: 860 });
});

t.test('stop a long ShellJob run', async (t) => {
  const cookie = await loginCookie(api.base, 'admin', 'Very$ecret');
  const created = await api.request(
    'POST',
    '/api/v1/jobs',
    {
      name: 'long sleeper',
      job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
      pub_args: ['/bin/sh', '-c', 'echo sleeping; exec sleep 120'],
      hour: '0',
    },
    { cookie },
  );
  t.equal(created.status, 201);
  await page.getByRole('button', { name: 'Run long sleeper now' }).waitFor();
  await shot('jobs');
  await page.getByRole('button', { name: 'Run long sleeper now' }).click();
  await page.getByRole('link', { name: 'Watch the run' }).click();
  await page.locator('.toolbar .badge', { hasText: 'running' }).waitFor();
  await page.getByTestId('output').filter({ hasText: 'sleeping' }).waitFor();
  t.ok(await page.getByText('(live)').isVisible(), 'output marked live');
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('.toolbar .badge', { hasText: 'stopped' }).waitFor();
  t.match(await page.locator('.facts').textContent(), /stopped on request/);
  await openTab('Executions');
  await page.locator('tbody tr').filter({ hasText: 'long sleeper' }).filter({ hasText: 'stopped' }).waitFor();
  await shot('executions');
  await openTab('Jobs');
  await jobRow('long sleeper').getByRole('button', { name: 'Delete long sleeper' }).click();
  await page.getByRole('dialog', { name: 'Delete job' }).getByRole('button', { name: 'Delete' }).click();
  await jobRow('long sleeper').waitFor({ state: 'detached' });
});

t.test('delete it, after a confirmation', async (t) => {
  await page.getByRole('button', { name: `Delete ${EDITED}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete job' });
  await confirm.getByText(`Delete the job "${EDITED}"?`).waitFor();
  await shot('delete-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  t.ok(await jobRow(EDITED).isVisible(), 'cancel keeps it');
  await page.getByRole('button', { name: `Delete ${EDITED}` }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await jobRow(EDITED).waitFor({ state: 'detached' });
  await page.getByText('No jobs yet.').waitFor();
});

t.test('the audit log has each step, as text', async (t) => {
  await openTab('Audit logs');
  for (const event of ['added', 'custom_run', 'paused', 'resumed', 'modified', 'stopped', 'deleted']) {
    await page.locator(`tbody tr[data-event="${event}"]`).first().waitFor();
  }
  // The newest of its changes (it was edited several times).
  const modified = page.locator('tbody tr[data-event="modified"]').filter({ hasText: EDITED }).first();
  await modified.waitFor();
  t.match(await modified.textContent(), /admin/);
  t.equal(await page.locator('tbody b').count(), 0, 'names with markup stay text');
  await shot('audit-logs');
});

t.test('the workers page shows the live worker', async (t) => {
  await openTab('Workers');
  const row = page.locator(`tbody tr[data-worker-pid="${worker.pid}"]`);
  await row.waitFor();
  t.match(await row.textContent(), /simple_scheduler/);
  t.equal((await row.locator('[data-worker-tags]').textContent())?.trim(), 'backup', 'its tags');
  await shot('workers');
});

t.test('a viewer sees everything and can change nothing', async (t) => {
  await api.app.userService.add('viewer', 'Very$ecret', 'viewer');
  const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  t.teardown(() => viewerContext.close());
  const viewer = await viewerContext.newPage();
  viewer.setDefaultTimeout(WAIT);
  await viewer.goto(`${api.base}/executions`);
  await viewer.getByLabel('Username', { exact: true }).fill('viewer');
  await viewer.getByLabel('Password', { exact: true }).fill('Very$ecret');
  await viewer.getByRole('button', { name: 'Log in' }).click();
  await viewer.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
  t.match(await viewer.getByTestId('user').textContent(), /viewer\s*viewer/);
  t.equal(await viewer.getByRole('button', { name: 'New job' }).count(), 0, 'no New job');
  t.equal(await viewer.getByRole('link', { name: 'Bull Board' }).count(), 0, 'no Bull Board');
  await viewer.getByRole('link', { name: 'Executions', exact: true }).click();
  await viewer.locator('tbody tr').filter({ hasText: 'stopped' }).first().waitFor();
  t.equal(await viewer.getByRole('button', { name: /^Stop/ }).count(), 0, 'no Stop');
});

t.test('log out goes back to the login page, and the UI is closed again', async (t) => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/login$/);
  await page.goto(`${api.base}/workers`);
  await page.waitForURL(/\/login$/);
  t.same(pageErrors, [], 'no script errors on any page');
});
