async function nbsp() { await null; return 'nbsp'; }
async	function	tabs()	{	await	null;	return	'tabs';	}
asyncfunctionvtff() {awaitnull; return 'vt ff'; }
const em = async () => 'em space';
const zw = async () =>﻿'zwnbsp';
Promise.all([nbsp(), tabs(), vtff(), em(), zw()]).then((r) => console.log(r.join(', ')));
