// Which files the emulated `--instrument-modules` instruments: those of the named packages
// themselves, not of packages nested in their own node_modules.
export const INSTRUMENT_MODULES_ENV = 'ASYNC_PROF_INSTRUMENT_MODULES';

export function namesFrom(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

export function isChosen(file: string, names: string[]): boolean {
  for (const name of names) {
    const marker = `/node_modules/${name}/`;
    const at = file.lastIndexOf(marker);
    if (at !== -1 && !file.includes('/node_modules/', at + marker.length - 1)) return true;
  }
  return false;
}
