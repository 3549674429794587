/*
 * A host with several Lua states: the module in states on several threads
 * at once, each with its own sets; lua_close with loops left open and timers
 * pending (its dlclose of event.so must do nothing, the Go runtime staying);
 * loading again after every state was closed; and an iterator resumed from
 * another thread than the one that called ev(...), which must be a Lua
 * error, and a lua_close there, which must not crash.
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
	if (run(shared, "local ok, err = pcall(it)\n"
	                "assert(not ok and err:find('iterator must be called from the thread that called ev'), err)\n"
	                "assert(ev:trigger(1) == 1, 'the set still works')"))
		exit(1);
	lua_close(shared); /* __gc here cannot end the loop: it is dropped */
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
	printf("iterator on another thread: a Lua error; lua_close there: ok\n");
	printf("states ok\n");
	return 0;
}
