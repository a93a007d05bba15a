import 'reflect-metadata';
import { runService } from '#internal/service';
import { loadConfig } from './config.js';
import { start } from './server.js';

runService('knowledge', () => start(loadConfig(process.env)));
