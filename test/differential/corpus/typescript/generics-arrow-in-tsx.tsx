const identity = async <T,>(x: T): Promise<T> => x;
const pair = <A, B>(a: A, b: B): [A, B] => [a, b];
(async () => {
  console.log(await identity('tsx generic arrow'), pair(1, 'b'));
})();
