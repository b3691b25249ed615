// Hand-written: coroutine-friendly helpers over the generated bindings.
//
// Threading (docs/android.md, "Threading"): `Mutualis` and `Store` are
// thread-safe. Every call takes the object's lock for its whole duration and
// runs on the calling thread, so calls from several threads are serialised,
// never interleaved, and a long call (a bulk `recordCosts`, `ingestParquet`,
// a store `commit` or `importEvents`, a settlement over a year of lines)
// blocks the thread that made it. On Android never make those calls on the
// main thread: use the `suspend` helpers below (or any executor).
//
// They need kotlinx-coroutines-core on the classpath (an optional dependency
// of this artifact: the bindings themselves do not use it).
package fr.mutualis

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.withContext

/**
 * Runs [block] on this registry on [dispatcher] (by default `Dispatchers.IO`:
 * the calls block on the registry's lock and on the disk) and returns its
 * result, suspending the caller meanwhile:
 * `val cost = m.background { workOrderCost("BT-1") }`.
 *
 * A `MutualisException` thrown by [block] reaches the caller unchanged.
 * Cancelling the coroutine does not interrupt a call that has started (it
 * runs to completion, and changes all or nothing as always); it only stops
 * the caller from waiting. [recordCostsSuspending] stops a long batch early.
 */
suspend fun <T> Mutualis.background(
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
    block: Mutualis.() -> T,
): T = withContext(dispatcher) { block() }

/** [Mutualis.background] for a store: `store.background { commit(work) }`. */
suspend fun <T> Store.background(
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
    block: Store.() -> T,
): T = withContext(dispatcher) { block() }

/**
 * `recordCosts` off the caller's thread, cancellable: [onProgress] is told
 * `done` of `total` lines every 1 024 lines (on the worker thread, while the
 * registry is locked: it must not call the registry back), and cancelling the
 * coroutine stops the batch at the next such point — nothing is recorded and
 * the caller gets the `CancellationException`. Other failures throw their
 * `MutualisException`, with nothing recorded.
 */
suspend fun Mutualis.recordCostsSuspending(
    lines: List<CostEntry>,
    dispatcher: CoroutineDispatcher = Dispatchers.Default,
    onProgress: (done: ULong, total: ULong) -> Unit = { _, _ -> },
): List<CostLine> = withContext(dispatcher) {
    val job = coroutineContext[Job]
    val listener = object : ProgressListener {
        override fun onProgress(done: ULong, total: ULong): Boolean {
            onProgress(done, total)
            return job?.isActive != false
        }
    }
    try {
        recordCosts(lines, listener)
    } catch (e: MutualisException.Cancelled) {
        ensureActive() // stopped because the coroutine was cancelled: CancellationException
        throw e
    }
}

/** `ingestParquet` on [dispatcher] (by default `Dispatchers.IO`). */
suspend fun Mutualis.ingestParquetSuspending(
    dir: String,
    mode: IngestMode,
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): IngestReport = withContext(dispatcher) { ingestParquet(dir, mode) }

/** `ingestCsv` on [dispatcher] (by default `Dispatchers.IO`). */
suspend fun Mutualis.ingestCsvSuspending(
    dir: String,
    mode: IngestMode,
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): IngestReport = withContext(dispatcher) { ingestCsv(dir, mode) }
