export default async () => 'default arrow';
