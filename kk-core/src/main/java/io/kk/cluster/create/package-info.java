/**
 * {@code kk create cluster} and {@code kk create phase}: the ordered phases and what each one will
 * do in a run. The phases' steps come from their feature packages (os, etcd, certs, ...); this
 * package only names and orders them.
 */
package io.kk.cluster.create;
