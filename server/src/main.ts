/**
 * Language server process entry. `createConnection` with no arguments picks the transport from the command line
 * (`--stdio`, `--node-ipc`, `--socket=`), so the same bundle serves VS Code (ipc), other editors and tests (stdio).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { limitHeapGrowth } from './heapGrowth';
import { nodeEnvironment } from './sources/environment';
import { startServer } from './server';

limitHeapGrowth();
const connection = createConnection(ProposedFeatures.all);
startServer(connection, nodeEnvironment());
connection.listen();
