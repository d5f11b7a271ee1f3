const fail = async (m) => { await null; throw new Error(m); };
async function f() {
  const log = [];
  try {
    try {
      await fail('inner');
    } catch (e) {
      log.push('caught ' + e.message);
      await fail('from catch');
    } finally {
      log.push('inner finally');
      await null;
    }
  } catch (e) {
    log.push('outer caught ' + e.message);
  } finally {
    log.push('outer finally');
  }
  try { await null; } catch { log.push('never'); } finally { log.push('optional binding ok'); }
  return log;
}
f().then((l) => console.log(l.join(' / ')));
