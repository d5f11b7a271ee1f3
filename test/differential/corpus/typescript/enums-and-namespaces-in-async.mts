enum Level { Debug = 10, Info = 20 }
namespace Log {
  export const sink: string[] = [];
  export async function write(level: Level, message: string): Promise<void> {
    await null;
    sink.push(`${Level[level]}:${message}`);
  }
}
await Log.write(Level.Info, 'started');
await Promise.all([Log.write(Level.Debug, 'a'), Log.write(Level.Info, 'b')]);
console.log(Log.sink);
