import { get } from 'store';
get('a').then((v) => console.log('from baseUrl module:', v));
