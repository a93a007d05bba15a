import { runService } from '#internal/service';
import { loadRouterConfig } from './config.js';
import { startRouter } from './server.js';

runService('router', () => startRouter(loadRouterConfig(process.env)));
