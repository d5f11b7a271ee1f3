function Card(props: { title: string; children?: unknown }) {
  return <section title={props.title}>{props.children}</section>;
}
async function page() {
  const title = await Promise.resolve('Async title');
  return (
    <>
      <Card title={title} key="card-1">
        <p>one</p>
        <p>two</p>
      </Card>
    </>
  );
}
page().then((tree) => console.log(JSON.stringify(tree)));
