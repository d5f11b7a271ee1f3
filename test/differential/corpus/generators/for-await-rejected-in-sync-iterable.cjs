process.on('unhandledRejection', (e) => console.log('unhandled:', e.message));
(async () => {
  try {
    for await (const v of [Promise.resolve('ok'), Promise.reject(new Error('second fails')), 'never'])
      console.log('got', v);
  } catch (e) {
    console.log('caught', e.message);
  }
})();
