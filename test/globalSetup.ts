import { ensureWebBuild } from '../web/build.ts';

/** The browser suites test the built app: build it once, before any suite starts. */
export default async function setup(): Promise<void> {
  await ensureWebBuild({ quiet: true });
}
