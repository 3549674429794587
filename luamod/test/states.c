/*
 * A host with several Lua states: the module in states on several threads
 * at once, each with its own sets; lua_close with loops left open and timers
 * pending (its dlclose of event.so must do nothing, the Go runtime staying);
 * loading again after every state was closed; and a loop's iterator
 * resumed on another thread than the one that called ev(...), as a host
 * that moves a state between threads does, which must go on there, and a
 * lua_close there, with the loop open.
 *
 *   gcc -I/usr/include/lua5.4 states.c -llua5.4 -lpthread && ./a.out 'luamod/build/lua5.4/?.so'
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

static const char *cpath;

static lua_State *newstate(void) {
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	lua_getglobal(L, "package");
	lua_pushstring(L, cpath);
	lua_setfield(L, -2, "cpath");
	lua_pop(L, 1);
	return L;
}

static int run(lua_State *L, const char *code) {
	if (luaL_loadstring(L, code) || lua_pcall(L, 0, 0, 0)) {
		fprintf(stderr, "states: %s\n", lua_tostring(L, -1));
		return 1;
	}
	return 0;
}

static const char *script =
	"local event = require('event')\n"
	"local ev = event.newset()\n"
	"local v = ev:add('V', nil, 'v')\n"
	"assert(v == 1, 'ids are per set')\n"
	"ev:add('T', 0.001, 't')\n"
	"local n = 0\n"
	"for id, why, src, ctx in ev(true) do\n"
	"  n = n + 1\n"
	"  if n < 50 then ev:trigger(v) else break end\n"
	"end\n"
	"ev2 = event.newset(); ev2:add('T', 3600, 'hourly'); ev2:add('V', true, ev2)\n"
	"it = ev2(true)\n" /* a loop that may wait, left open */
	"assert(select(4, it()) == ev2)\n";

#define THREADS 6
#define ROUNDS 30

static void *worker(void *arg) {
	int i;
	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		lua_State *L = newstate();
		if (run(L, script))
			exit(1);
		lua_close(L);
	}
	return NULL;
}

static lua_State *shared;

static void *elsewhere(void *arg) {
	(void)arg;
	if (run(shared, "local id, why = it()\n"
	                "assert(id == 1 and why == 'triggered', 'the iterator goes on here')\n"
	                "assert(ev:trigger(1) == 1 and it() == 1, 'and so does the set')"))
		exit(1);
	lua_close(shared); /* with the loop open */
	return NULL;
}

int main(int argc, char **argv) {
	pthread_t t[THREADS];
	int i;
	lua_State *L;
	cpath = argc > 1 ? argv[1] : "./?.so";
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("%d states on %d threads, each closed with loops open: ok\n", THREADS * ROUNDS, THREADS);

	/* loaded again after every state was closed */
	L = newstate();
	if (run(L, script))
		return 1;
	lua_close(L);

	/* an iterator on the wrong thread */
	shared = newstate();
	if (run(shared, "ev = require('event').newset(); ev:add('V', true); it = ev(true)"))
		return 1;
	pthread_create(&t[0], NULL, elsewhere, NULL);
	pthread_join(t[0], NULL);
	printf("a loop's iterator on another thread, lua_close there: ok\n");
	printf("states ok\n");
	return 0;
}
