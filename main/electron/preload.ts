// The sandboxed preload of the till window: imports only electron and shared/.
import { contextBridge, ipcRenderer } from 'electron';
import { exposePosApi } from './preload-bridge';

exposePosApi(contextBridge, ipcRenderer);
