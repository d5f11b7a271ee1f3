// Opening the default browser with `open`. Where no browser can be opened (a server without a
// display, BROWSER=none, or the opener fails) this says so and the caller keeps serving.
import open from 'open';

export async function openBrowser(url: string): Promise<boolean> {
  if (process.env.BROWSER === 'none') return false;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    const child = await open(url);
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), 5000);
      timer.unref();
      child.once('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0 || code === null);
      });
    });
  } catch {
    return false;
  }
}
