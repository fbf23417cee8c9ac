/** The tests' ports: handed out by devtools/ports.ts, which the bench shares. */
export { freePort, freePortIn } from '../../devtools/ports';
