/*
 * The types the C side (event.c) and the Go side (*.go) of the module share.
 * They use no Lua header, so that the Go side compiles without one.
 */
#ifndef EVLUA_H
#define EVLUA_H

#include <stddef.h>
#include <stdint.h>

/* Lua types, numbered as package core numbers them (core.Type). */
enum {
	EV_TNONE, EV_TNIL, EV_TBOOLEAN, EV_TNUMBER, EV_TSTRING, EV_TTABLE,
	EV_TFUNCTION, EV_TUSERDATA, EV_TTHREAD, EV_TLIGHTUSERDATA, EV_TOTHER
};

/* One argument. s is a string's bytes (or the type name of EV_TOTHER),
 * owned by Lua and valid during the call only. */
typedef struct ev_val {
	int type;
	int isint;  /* a Lua 5.3+ integer: i holds it */
	int b;
	long long i;
	double n;
	const char *s;
	size_t len;
} ev_val;

/* What a call of the Go side returns. */
enum {
	EV_NIL,     /* return nil (or nothing) */
	EV_ID,      /* return id */
	EV_EVENT,   /* the iterator: return id, reason, source, context */
	EV_ERR,     /* raise msg as a Lua error */
	EV_RETHROW  /* raise again the error object on top of the stack */
};

#define EV_MSGLEN 512

/* One call of a method, arguments and results. */
typedef struct ev_call {
	void *L;          /* the lua_State, for getfd */
	int nargs;        /* the arguments after self */
	ev_val a[4];
	int srcidx;       /* add: stack index of the source */
	int fnidx;        /* add: stack index of the getfd helper */
	int isfile;       /* add: the source is an io library file... */
	int fileclosed;   /* ...closed */
	int filefd;       /* ...with this descriptor */
	long long thread; /* the calling thread: its slot and the slot's generation (event.c) */
	int depth;        /* how many calls into the Go side this thread is in */
	/* An event reported ahead that the iterator handed to Lua: the Go
	 * side takes it (the loop's Next) before anything else. */
	int owed;
	unsigned long long owed_gen;
	long long owed_id;
	/* results */
	long long id;
	int reason;
	int last;
	unsigned long long gen;
	/* trigger: the event the loop's next step will take, reported ahead
	 * (evchan Loop.Ahead): ahead_id, reason, last and the loop's gen. */
	int ahead;
	long long ahead_id;
	char msg[EV_MSGLEN];
} ev_call;

/* Calls a table or userdata's getfd method in protected mode (see
 * event.c). Returns 0 with *found and *out set, or the status of the
 * failed call with the error object left on top of the stack. */
int ev_getfd(void *L, int fnidx, int objidx, int *found, ev_val *out);

/* Sends SIGINT to the thread of a slot, once it is out of Go code, if it
 * still runs. */
void ev_sigint(long long thread);

#endif
