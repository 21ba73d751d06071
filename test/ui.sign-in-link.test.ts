/**
 * A one-time sign-in link in a real browser: the page spends nothing until the click, a new password chosen
 * there works afterwards, the app opens signed in, and the same link opened again says it cannot be used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../src/access/apiSignIn.ts';
import { issueSignInLinkFor } from '../src/access/signIn.ts';
import { DEFAULT_WORKSPACE_ID } from '../src/domain/access.ts';
import { type Browser, browserAvailable, openBrowser, screenshot } from './browser.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { addMember } from './storeSnapshot.ts';

describe.runIf(browserAvailable())('a one-time sign-in link in the web app', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp('pglite'), openBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('recovers a lost password: chooses a new one, opens the app, and works once', async () => {
    const { page } = browser;
    const member = await addMember(app, DEFAULT_WORKSPACE_ID, 'editor');
    const issue = () => issueSignInLinkFor(app.runtime.context.db, app.url, member.email, new Date(), 60_000);
    const form = page.getByRole('form', { name: 'Sign in with the link' });

    // Opening the page spends nothing (a link preview must not use the link up): it still works elsewhere.
    const previewed = await issue();
    await page.goto(previewed.url);
    await form.waitFor();
    const elsewhere = await fetch(`${app.url}/api/v1/auth/sign-in-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: new URL(previewed.url).hash.slice(1) }),
    });
    expect(elsewhere.status).toBe(200);

    const link = await issue();
    expect(link.url).toMatch(/\/sign-in\/link#trl_/);
    // A fresh load: the same page with another fragment would be a navigation within the document.
    await page.goto('about:blank');
    await page.goto(link.url);
    await form.waitFor();
    await form.getByLabel('Choose a new password').check();
    await form.getByLabel(/^New password/).fill('a brand new password');
    await form.getByLabel('Repeat the new password').fill('a brand new password');
    await screenshot(page, 'sign-in-link-1-recovery');
    await form.getByRole('button', { name: 'Set the password and sign in' }).click();
    await page.getByRole('button', { name: `Account: ${member.email}` }).waitFor();
    expect(page.url()).toMatch(/\/connections$/);
    expect(browser.problems).toEqual([]);
    await signInOverHttp(app.url, member.email, 'a brand new password');
    await expect(signInOverHttp(app.url, member.email, member.password)).rejects.toThrow(/401/);

    await page.goto(link.url);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This link cannot be used' }).waitFor();
    expect(browser.problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
    await screenshot(page, 'sign-in-link-2-used');
  });

  it('says what is wrong when the link has lost its secret', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/sign-in/link`);
    await page.getByRole('heading', { name: 'This sign-in link cannot be used' }).waitFor();
    await page.getByRole('link', { name: 'Go to sign-in' }).waitFor();
  });
});
