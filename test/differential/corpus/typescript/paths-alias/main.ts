import { greet, wait } from '@lib/util';
import config from '@config';
(async () => {
  await wait(1);
  console.log(await greet(config.name));
})();
