import { ensureWebBuild } from '../web/build.ts';

/**
 * The browser suites test the built app: build it once, before any suite starts. A failed build
 * does not stop the other suites; the browser suites then fail on the missing or stale app.
 */
export default async function setup(): Promise<void> {
  try {
    await ensureWebBuild({ quiet: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`web app build failed; browser tests will fail: ${message.split('\n')[0]?.slice(0, 300)}`);
  }
}
