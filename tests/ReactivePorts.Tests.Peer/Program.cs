// The peer: a small console program that the real-process tests talk to.
return 0;
