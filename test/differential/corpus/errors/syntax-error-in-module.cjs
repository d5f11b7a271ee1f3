async function broken() {
  const x = await ;
}
