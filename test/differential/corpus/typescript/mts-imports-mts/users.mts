export interface User { id: number; name: string }
export async function fetchUser(id: number): Promise<User> {
  await new Promise<void>((r) => setTimeout(r, 5));
  return { id, name: `user${id}` };
}
