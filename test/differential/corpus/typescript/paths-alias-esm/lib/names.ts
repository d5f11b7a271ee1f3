export const names = ['ada', 'grace'];
