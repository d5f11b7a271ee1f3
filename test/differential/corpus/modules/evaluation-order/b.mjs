console.log('evaluate b');
export const b = 'b';
