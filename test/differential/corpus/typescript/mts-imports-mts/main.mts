import { fetchUser, type User } from './users.mjs';
import * as users from './users.mts';
const u: User = await fetchUser(1);
console.log(u, Object.keys(users).sort(), users.fetchUser === fetchUser);
