// How this process's schemas parse. Zod compiles a parser of its own for each object schema
// the first time it parses with one (generated code, `new Function`). A command or a hands
// worker parses each of its schemas a handful of times in its life, so that compile costs it
// more than it saves: a diagnosis spent more CPU compiling the result schemas' parsers than
// parsing every result. Zod's generic parser gives the same answers without it.
//
// Zod reads the setting when a schema is made: an entry point imports this module before
// anything that makes one.
import { z } from 'zod';

z.config({ jitless: true });
