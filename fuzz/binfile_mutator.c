/* binfile_mutator.c — a libFuzzer custom mutator for grl's binary files
 * (.grl graphs, PPR indexes; layout in core/binfile.h). Almost every plain
 * mutation breaks the trailing XXH64 checksum, so the fuzzer would only ever
 * test the refusal path. Half of the mutants here get their file length
 * (offset 16) and checksum rewritten, so the decoder and the validation
 * behind the checksum see hostile bytes too; the other half keep the
 * mutation as it is, so the checksum refusal stays exercised.
 * FUZZ_FILE_OFFSET: bytes before the file in an input (the graph harness's
 * option byte); FUZZ_BLOCK_CHECKSUM: the file has the block checksum
 * (grl_hash64_blocked). Linked into the libFuzzer binaries only. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "grl_internal.h"

#ifndef FUZZ_FILE_OFFSET
#define FUZZ_FILE_OFFSET 0
#endif

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed)
{
    size = LLVMFuzzerMutate(data, size, max_size);
    if (seed & 1 || size < FUZZ_FILE_OFFSET + 32) return size;
    uint8_t *file = data + FUZZ_FILE_OFFSET;
    uint64_t len = size - FUZZ_FILE_OFFSET;
    memcpy(file + 16, &len, sizeof len); /* little-endian, as grl writes */
#ifdef FUZZ_BLOCK_CHECKSUM /* .grl graphs, format 4 */
    uint64_t sum = grl_hash64_blocked_of(file, len - 8);
#else
    uint64_t sum = grl_hash64_of(file, len - 8, 0);
#endif
    memcpy(file + len - 8, &sum, sizeof sum);
    return size;
}
