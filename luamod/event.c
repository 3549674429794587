/*
 * The C side of the event module: the Lua C API functions that Lua calls
 * (luaopen_event, the methods of a set, its iterator), which pass the
 * arguments to the Go side (module.go) and push what it returns. Every rule
 * (what an argument may be, what a method returns, the error messages) is
 * package core's, on the Go side; this file only moves values between the
 * Lua stack and Go.
 *
 * The same source builds for Lua 5.4 and for LuaJIT 2.1 (the Lua 5.1 API):
 * the few differences are the macros below.
 *
 * No Lua error is ever raised while Go code is on the C stack: a Lua error
 * is a longjmp (or, in LuaJIT, an unwind) that must not cross Go frames. So
 * the Go side reports errors as a status and a message, and this side
 * raises them once Go has returned; the one Lua call made from Go, an
 * object's getfd(), runs under lua_pcall (ev_getfd), and its error is raised
 * again here.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "evlua.h"
#include "_cgo_export.h"

#if LUA_VERSION_NUM >= 504
#define ev_newud(L, n) lua_newuserdatauv(L, n, 1)
#define ev_getuv(L, i) lua_getiuservalue(L, i, 1)
#define ev_setuv(L, i) lua_setiuservalue(L, i, 1)
#elif LUA_VERSION_NUM >= 502
#define ev_newud(L, n) lua_newuserdata(L, n)
#define ev_getuv(L, i) lua_getuservalue(L, i)
#define ev_setuv(L, i) lua_setuservalue(L, i)
#else /* Lua 5.1, LuaJIT: a userdata's environment table */
#define ev_newud(L, n) lua_newuserdata(L, n)
#define ev_getuv(L, i) lua_getfenv(L, i)
#define ev_setuv(L, i) lua_setfenv(L, i)
#endif

#if LUA_VERSION_NUM >= 503 /* integers: IDs are integers */
#define ev_pushid(L, id) lua_pushinteger(L, (lua_Integer)(id))
#else                      /* LuaJIT, 5.1: numbers */
#define ev_pushid(L, id) lua_pushnumber(L, (lua_Number)(id))
#endif

#if LUA_VERSION_NUM >= 502
#define ev_rawlen(L, i) lua_rawlen(L, i)
#else
#define ev_rawlen(L, i) lua_objlen(L, i)
#endif

#define EV_MAGIC 0x65766368u /* "evch" */

/* The userdata of a set: h is its handle on the Go side, 0 once closed.
 *
 * A round trip (a trigger in the body of a loop, then the iterator's next
 * call) would cost two calls into Go, and a call into Go costs more than
 * the work it does. So a trigger also asks the Go side for the event the
 * loop's next step will take, when that is certain already (evchan
 * Loop.Ahead: a virtual event with no timeout at the head of the queue,
 * which nothing but a call of this set can change). The iterator hands it
 * to Lua without a call into Go, and the set owes the step that takes it:
 * the next call into Go for the set, whichever it is, makes that step
 * first (ev_carry). A call into Go for the set before the iterator voids
 * the event reported ahead. */
typedef struct evset {
	uint32_t magic;
	uint32_t h;
	int ahead;              /* an event reported ahead, not yet handed to Lua */
	int owed;               /* handed to Lua: the step that takes it is owed */
	long long ahead_thread; /* where: the thread (ev_id) and its depth */
	int ahead_depth;
	unsigned long long ahead_gen; /* the loop */
	long long ahead_id;           /* the event */
	int ahead_reason, ahead_last;
} evset;

/*
 * Threads. Each thread that calls the module gets a slot: the Go side
 * names the thread by its slot's index, to resume a loop only where it was
 * made, and SIGINT is handed back to a thread through its slot (ev_sigint).
 * A slot lives in a global array, not in thread-local storage, so that it
 * can be read after its thread is gone; a pthread key's destructor marks
 * it free when the thread exits.
 */
#define EV_MAXTHREADS 4096

typedef struct ev_thread {
	volatile int depth;  /* calls into Go under way on the thread */
	volatile int used;   /* 1 while the thread runs */
	volatile int gen;    /* how many threads had the slot */
	pthread_t self;
} ev_thread;

static ev_thread ev_threads[EV_MAXTHREADS];
static pthread_key_t ev_key;
static pthread_once_t ev_key_once = PTHREAD_ONCE_INIT;
static __thread int ev_slot = -1;
static __thread long long ev_id; /* the slot and its generation */

static void ev_thread_exit(void *p) {
	ev_thread *t = &ev_threads[(intptr_t)p - 1];
	__atomic_store_n(&t->used, 0, __ATOMIC_RELEASE);
}

static void ev_key_init(void) { pthread_key_create(&ev_key, ev_thread_exit); }

/* ev_me returns the calling thread's slot. With more than EV_MAXTHREADS
 * threads at once, the last slot is shared. */
static int ev_me(void) {
	int i;
	if (ev_slot >= 0)
		return ev_slot;
	pthread_once(&ev_key_once, ev_key_init);
	for (i = 0; i < EV_MAXTHREADS - 1; i++) {
		int free = 0;
		if (__atomic_compare_exchange_n(&ev_threads[i].used, &free, 1, 0,
		                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
	}
	ev_threads[i].self = pthread_self();
	ev_threads[i].depth = 0;
	ev_id = (long long)__atomic_add_fetch(&ev_threads[i].gen, 1, __ATOMIC_ACQ_REL) << 16 | i;
	if (i < EV_MAXTHREADS - 1)
		pthread_setspecific(ev_key, (void *)(intptr_t)(i + 1));
	ev_slot = i;
	return i;
}

/* GO runs one call into the Go side, counting the thread's depth; the Go
 * side knows the thread by ev_id, its slot and the slot's generation. */
#define GO(c, call) (ev_me(), (c)->thread = ev_id, (c)->depth = ++ev_threads[ev_slot].depth, \
                     st = (call), ev_threads[ev_slot].depth--, st)

/* ev_carry hands the owed step, if any, to a call into Go for set u, and
 * voids an event reported ahead: to be called before every call into Go
 * for the set. */
static void ev_carry(evset *u, ev_call *c) {
	c->owed = u->owed;
	c->owed_gen = u->ahead_gen;
	c->owed_id = u->ahead_id;
	c->ahead = 0;
	u->owed = u->ahead = 0;
}

/* Upvalues of every function of the module. */
#define UV_MT lua_upvalueindex(1)      /* the sets' metatable */
#define UV_REASONS lua_upvalueindex(2) /* reason names by number */

/* t[key], with t at an absolute index, for integer keys of any size. */
static void uv_get(lua_State *L, int t, long long key) {
#if LUA_VERSION_NUM >= 503
	lua_rawgeti(L, t, (lua_Integer)key);
#else
	lua_pushnumber(L, (lua_Number)key);
	lua_rawget(L, t);
#endif
}

/* t[key] = the value on top (popped), t at an absolute index. */
static void uv_set(lua_State *L, int t, long long key) {
#if LUA_VERSION_NUM >= 503
	lua_rawseti(L, t, (lua_Integer)key);
#else
	lua_pushnumber(L, (lua_Number)key);
	lua_insert(L, -2);
	lua_rawset(L, t);
#endif
}

/* ev_keep keeps the values of event id in the set's table at t: the
 * context at t[id], the source at t[-id]; they are the two values on top
 * (the context below), which it pops. */
static void ev_keep(lua_State *L, int t, long long id) {
	uv_set(L, t, -id);
	uv_set(L, t, id);
}

/* ev_forget lets the values of event id in the set's table at t go. */
static void ev_forget(lua_State *L, int t, long long id) {
	lua_pushnil(L);
	uv_set(L, t, id);
	lua_pushnil(L);
	uv_set(L, t, -id);
}

/* ev_arg describes the value at idx for the Go side. */
static void ev_arg(lua_State *L, int idx, ev_val *v) {
	int t = lua_type(L, idx);
	v->isint = 0;
	v->s = NULL;
	v->len = 0;
	switch (t) {
	case LUA_TNONE: v->type = EV_TNONE; break;
	case LUA_TNIL: v->type = EV_TNIL; break;
	case LUA_TBOOLEAN:
		v->type = EV_TBOOLEAN;
		v->b = lua_toboolean(L, idx);
		break;
	case LUA_TNUMBER:
		v->type = EV_TNUMBER;
#if LUA_VERSION_NUM >= 503
		if (lua_isinteger(L, idx)) {
			v->isint = 1;
			v->i = (long long)lua_tointeger(L, idx);
			v->n = (double)v->i;
			break;
		}
#endif
		v->n = (double)lua_tonumber(L, idx);
		break;
	case LUA_TSTRING:
		v->type = EV_TSTRING;
		v->s = lua_tolstring(L, idx, &v->len);
		break;
	case LUA_TTABLE: v->type = EV_TTABLE; break;
	case LUA_TFUNCTION: v->type = EV_TFUNCTION; break;
	case LUA_TUSERDATA: v->type = EV_TUSERDATA; break;
	case LUA_TTHREAD: v->type = EV_TTHREAD; break;
	case LUA_TLIGHTUSERDATA: v->type = EV_TLIGHTUSERDATA; break;
	default: /* LuaJIT's cdata */
		v->type = EV_TOTHER;
		v->s = lua_typename(L, t);
		v->len = strlen(v->s);
	}
}

/* ev_raise raises the error a call into Go reported. */
static int ev_raise(lua_State *L, int st, ev_call *c) {
	if (st == EV_RETHROW)
		return lua_error(L);
	return luaL_error(L, "%s", c->msg);
}

/* ev_set_at returns the set at idx, or NULL if it is not one. */
static evset *ev_set_at(lua_State *L, int idx) {
	evset *u;
	int ok;
	if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
		return NULL;
	ok = lua_rawequal(L, -1, UV_MT);
	lua_pop(L, 1);
	if (!ok || ev_rawlen(L, idx) < sizeof(evset))
		return NULL;
	u = (evset *)lua_touserdata(L, idx);
	return u->magic == EV_MAGIC ? u : NULL;
}

/* ev_self returns the set a method is called on, or raises the core's
 * error. */
static evset *ev_self(lua_State *L, const char *fname) {
	evset *u = ev_set_at(L, 1);
	ev_call c;
	int st;
	if (u)
		return u;
	ev_arg(L, 1, &c.a[0]);
	GO(&c, (evgo_badself((char *)fname, &c), 0));
	luaL_error(L, "%s", c.msg);
	return NULL;
}

/* getfd_p is the protected part of ev_getfd: obj:getfd() if obj has one.
 * Returns found (a boolean) and the result. */
static int getfd_p(lua_State *L) {
	lua_getfield(L, 1, "getfd");
	if (lua_type(L, -1) != LUA_TFUNCTION) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lua_pushvalue(L, 1);
	lua_call(L, 1, 1);
	lua_pushboolean(L, 1);
	lua_insert(L, -2);
	return 2;
}

int ev_getfd(void *vL, int fnidx, int objidx, int *found, ev_val *out) {
	lua_State *L = (lua_State *)vL;
	int st;
	lua_pushvalue(L, fnidx); /* room was made by ev_add */
	lua_pushvalue(L, objidx);
	st = lua_pcall(L, 1, 2, 0);
	if (st != 0)
		return st; /* the error object is on top, for ev_add to raise */
	*found = lua_toboolean(L, -2);
	if (*found) {
		ev_arg(L, -1, out);
		if (out->type == EV_TSTRING) { /* popped below: only the type is read */
			out->s = NULL;
			out->len = 0;
		}
	}
	lua_pop(L, 2);
	return 0;
}

void ev_sigint(long long thread) {
	ev_thread *t = &ev_threads[thread & 0xffff];
	struct timespec pause = {0, 100000}; /* 0.1 ms */
	int i;
	/* Not while the thread runs Go code: the handler would run on a
	 * goroutine's stack. It leaves Go as soon as its call returns. */
	for (i = 0; i < 10000 && __atomic_load_n(&t->depth, __ATOMIC_ACQUIRE) > 0; i++)
		nanosleep(&pause, NULL);
	if (__atomic_load_n(&t->used, __ATOMIC_ACQUIRE) && (thread >> 16) == t->gen)
		pthread_kill(t->self, SIGINT);
}

/* ev_fileinfo tells the Go side whether the value at idx is a file of the
 * io library, and its descriptor. */
static void ev_fileinfo(lua_State *L, int idx, ev_call *c) {
	FILE *f;
	int same = 0;
	if (lua_getmetatable(L, idx)) {
		luaL_getmetatable(L, LUA_FILEHANDLE);
		same = lua_rawequal(L, -1, -2);
		lua_pop(L, 2);
	}
	if (!same)
		return;
#if LUA_VERSION_NUM >= 502 /* a luaL_Stream: closef is NULL once closed */
	{
		luaL_Stream *p = (luaL_Stream *)lua_touserdata(L, idx);
		c->fileclosed = p->closef == NULL;
		f = p->f;
	}
#else /* LuaJIT, Lua 5.1: the userdata starts with the FILE *, NULL once closed */
	f = *(FILE **)lua_touserdata(L, idx);
	c->fileclosed = f == NULL;
#endif
	c->isfile = 1;
	if (!c->fileclosed)
		c->filefd = f ? fileno(f) : -1;
}

/* ev:add(type, source, context, timeout) -> id */
static int ev_add(lua_State *L) {
	evset *u = ev_self(L, "add");
	ev_call c;
	int st, t;
	lua_settop(L, 5);
	luaL_checkstack(L, 8, "event set add");
	ev_arg(L, 2, &c.a[0]);
	ev_arg(L, 3, &c.a[1]);
	ev_arg(L, 5, &c.a[2]);
	c.L = L;
	c.srcidx = 3;
	c.fnidx = 0;
	c.isfile = c.fileclosed = 0;
	c.filefd = -1;
	if (c.a[1].type == EV_TTABLE || c.a[1].type == EV_TUSERDATA) {
		if (c.a[1].type == EV_TUSERDATA)
			ev_fileinfo(L, 3, &c);
		lua_pushcfunction(L, getfd_p);
		c.fnidx = lua_gettop(L);
	}
	ev_carry(u, &c);
	GO(&c, evgo_add(u->h, &c));
	if (st != EV_ID)
		return ev_raise(L, st, &c);
	ev_getuv(L, 1);
	t = lua_gettop(L);
	lua_pushvalue(L, 4);
	lua_pushvalue(L, 3);
	ev_keep(L, t, c.id);
	ev_pushid(L, c.id);
	return 1;
}

/* ev:set(id, context, timeout) -> id or nil */
static int ev_setctx(lua_State *L) {
	evset *u = ev_self(L, "set");
	ev_call c;
	int st;
	lua_settop(L, 4);
	ev_arg(L, 2, &c.a[0]);
	ev_arg(L, 4, &c.a[1]);
	ev_carry(u, &c);
	GO(&c, evgo_set(u->h, &c));
	if (st == EV_NIL) {
		lua_pushnil(L);
		return 1;
	}
	if (st != EV_ID)
		return ev_raise(L, st, &c);
	ev_getuv(L, 1);
	lua_pushvalue(L, 3);
	uv_set(L, lua_gettop(L) - 1, c.id);
	ev_pushid(L, c.id);
	return 1;
}

/* ev:trigger(id) -> id or nil */
static int ev_trigger(lua_State *L) {
	evset *u = ev_self(L, "trigger");
	ev_call c;
	int st;
	ev_arg(L, 2, &c.a[0]);
	ev_carry(u, &c);
	GO(&c, evgo_trigger(u->h, &c));
	if (st == EV_NIL) {
		lua_pushnil(L);
		return 1;
	}
	if (st != EV_ID)
		return ev_raise(L, st, &c);
	if (c.ahead) {
		u->ahead = 1;
		u->ahead_thread = c.thread;
		u->ahead_depth = c.depth;
		u->ahead_gen = c.gen;
		u->ahead_id = c.ahead_id;
		u->ahead_reason = c.reason;
		u->ahead_last = c.last;
	}
	ev_pushid(L, c.id);
	return 1;
}

/* ev:once(context) -> id */
static int ev_once(lua_State *L) {
	evset *u = ev_self(L, "once");
	ev_call c;
	int st, t;
	lua_settop(L, 2);
	ev_carry(u, &c);
	GO(&c, evgo_once(u->h, &c));
	if (st != EV_ID)
		return ev_raise(L, st, &c);
	ev_getuv(L, 1);
	t = lua_gettop(L);
	lua_pushvalue(L, 2);
	lua_pushboolean(L, 1);
	ev_keep(L, t, c.id);
	ev_pushid(L, c.id);
	return 1;
}

/* ev:del(id) -> id or nil */
static int ev_del(lua_State *L) {
	evset *u = ev_self(L, "del");
	ev_call c;
	int st;
	ev_arg(L, 2, &c.a[0]);
	ev_carry(u, &c);
	GO(&c, evgo_del(u->h, &c));
	if (st == EV_NIL) {
		lua_pushnil(L);
		return 1;
	}
	if (st != EV_ID)
		return ev_raise(L, st, &c);
	ev_getuv(L, 1);
	ev_forget(L, lua_gettop(L), c.id);
	ev_pushid(L, c.id);
	return 1;
}

/* ev:stop() */
static int ev_stop(lua_State *L) {
	evset *u = ev_self(L, "stop");
	ev_call c;
	int st;
	ev_carry(u, &c);
	GO(&c, evgo_stop(u->h, &c));
	if (st != EV_NIL)
		return ev_raise(L, st, &c);
	return 0;
}

/* ev:clear() */
static int ev_clear(lua_State *L) {
	evset *u = ev_self(L, "clear");
	ev_call c;
	int st;
	lua_settop(L, 1);
	lua_newtable(L); /* before Go: if it fails, nothing was cleared */
	ev_carry(u, &c);
	GO(&c, evgo_clear(u->h, &c));
	if (st != EV_NIL)
		return ev_raise(L, st, &c);
	ev_setuv(L, 1);
	return 0;
}

/* The iterator of ev(block): upvalues the set, the loop's generation and
 * the reason names. */
static int ev_iter(lua_State *L) {
	evset *u = (evset *)lua_touserdata(L, lua_upvalueindex(1));
	ev_call c;
	int st, t;
	/* It pushes six values at most: a C function has LUA_MINSTACK (20). */
	c.gen = (unsigned long long)lua_tonumber(L, lua_upvalueindex(2));
	ev_me();
	if (u->ahead && u->ahead_gen == c.gen && u->ahead_thread == ev_id &&
	    u->ahead_depth == ev_threads[ev_slot].depth + 1) {
		/* The step is certain: hand its event over, and owe the step. */
		u->ahead = 0;
		u->owed = 1;
		c.id = u->ahead_id;
		c.reason = u->ahead_reason;
		c.last = u->ahead_last;
	} else {
		ev_carry(u, &c);
		GO(&c, evgo_next(u->h, &c));
		if (st == EV_NIL) {
			lua_pushnil(L);
			return 1;
		}
		if (st != EV_EVENT)
			return ev_raise(L, st, &c);
	}
	/* The set's table under the results, which are the top four. */
	ev_getuv(L, lua_upvalueindex(1));
	t = lua_gettop(L);
	ev_pushid(L, c.id);
	lua_rawgeti(L, lua_upvalueindex(3), c.reason);
	uv_get(L, t, -c.id); /* the source */
	uv_get(L, t, c.id);  /* the context */
	if (c.last) /* gone from the set: let the values go */
		ev_forget(L, t, c.id);
	return 4;
}

/* ev(block) -> iterator, ev, nil */
static int ev_call_set(lua_State *L) {
	evset *u = ev_self(L, "event set call");
	ev_call c;
	int st;
	lua_settop(L, 2);
	ev_arg(L, 2, &c.a[0]);
	ev_carry(u, &c);
	GO(&c, evgo_call(u->h, &c));
	if (st != EV_NIL)
		return ev_raise(L, st, &c);
	lua_pushvalue(L, 1);
	lua_pushnumber(L, (lua_Number)c.gen);
	lua_pushvalue(L, UV_REASONS);
	lua_pushcclosure(L, ev_iter, 3);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* __gc: closes the set's container. */
static int ev_gc(lua_State *L) {
	evset *u = ev_set_at(L, 1);
	ev_call c;
	int st;
	if (u && u->h) {
		uint32_t h = u->h;
		u->h = 0;
		ev_carry(u, &c);
		GO(&c, (evgo_close(h, &c), 0));
	}
	return 0;
}

static int ev_tostring(lua_State *L) {
	evset *u = ev_self(L, "tostring");
	lua_pushfstring(L, "event set: %p", (void *)u);
	return 1;
}

/* event.newset([numobj]) -> set */
static int ev_newset(lua_State *L) {
	evset *u;
	ev_call c;
	int st;
	lua_settop(L, 1);
	ev_arg(L, 1, &c.a[0]);
	/* The userdata first: if Lua cannot allocate it, no container is made. */
	u = (evset *)ev_newud(L, sizeof(evset));
	memset(u, 0, sizeof *u);
	u->magic = EV_MAGIC;
	lua_pushvalue(L, UV_MT);
	lua_setmetatable(L, -2);
	lua_newtable(L);
	ev_setuv(L, -2);
	GO(&c, evgo_newset(&c));
	if (st != EV_ID)
		return ev_raise(L, st, &c);
	u->h = (uint32_t)c.id;
	return 1;
}

/* ev_pin keeps this library loaded for good: the Go runtime in it cannot be
 * unloaded. Go's linker already marks a c-shared library NODELETE; this
 * holds even for a build that would not. */
static void ev_pin(void) {
	Dl_info info;
	if (dladdr((void *)&ev_pin, &info) && info.dli_fname)
		dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

static const luaL_Reg methods[] = {
	{"add", ev_add},         {"set", ev_setctx}, {"trigger", ev_trigger},
	{"once", ev_once},       {"del", ev_del},    {"stop", ev_stop},
	{"clear", ev_clear},     {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__call", ev_call_set}, {"__gc", ev_gc}, {"__tostring", ev_tostring},
	{NULL, NULL},
};

/* setfuncs sets the functions of l in the table on top, each with the
 * metatable at mt and the reason names at rs as upvalues. */
static void setfuncs(lua_State *L, const luaL_Reg *l, int mt, int rs) {
	for (; l->name; l++) {
		lua_pushvalue(L, mt);
		lua_pushvalue(L, rs);
		lua_pushcclosure(L, l->func, 2);
		lua_setfield(L, -2, l->name);
	}
}

int luaopen_event(lua_State *L) {
	int mt, rs, r;
	char buf[64];
	ev_pin();
	luaL_newmetatable(L, "event.set");
	mt = lua_gettop(L);
	lua_newtable(L);
	rs = lua_gettop(L);
	for (r = 1; r < 256 && evgo_reason(r, buf, sizeof buf); r++) {
		lua_pushstring(L, buf);
		lua_rawseti(L, rs, r);
	}
	lua_pushvalue(L, mt);
	setfuncs(L, metamethods, mt, rs);
	lua_newtable(L);
	setfuncs(L, methods, mt, rs);
	lua_setfield(L, -2, "__index");
	lua_pushliteral(L, "event set");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);

	lua_newtable(L);
	lua_pushvalue(L, mt);
	lua_pushvalue(L, rs);
	lua_pushcclosure(L, ev_newset, 2);
	lua_setfield(L, -2, "newset");
	return 1;
}
