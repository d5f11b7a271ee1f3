let thenCalls = 0;
class Deferred<T> extends Promise<T> {
  then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    thenCalls++;
    return super.then(onFulfilled, onRejected);
  }
}
async function load(): Promise<string> {
  return new Deferred<string>((resolve) => setTimeout(resolve, 10, 'loaded'));
}
load().then((v) => console.log(v, 'then calls', thenCalls));
