#include "tsdb/chunkenc/bstream.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace argus::tsdb::chunkenc {
namespace {

TEST(ChunkBytesTest, GrowsKeepingItsBytes) {
  ChunkBytes b;
  EXPECT_TRUE(b.empty());
  std::string want;
  for (int i = 0; i < 5000; ++i) {
    b.PushBack(static_cast<char>(i * 7));
    want.push_back(static_cast<char>(i * 7));
  }
  b.AppendZeros(3);
  want.append(3, '\0');
  EXPECT_EQ(b.view(), want);
}

TEST(ChunkBytesTest, SetCapacityNeverDropsBytes) {
  ChunkBytes b;
  b.SetCapacity(64);
  for (char c : std::string("abcdef")) b.PushBack(c);
  b.SetCapacity(2);  // shrinks only to the size
  EXPECT_EQ(b.view(), "abcdef");
  b.PushBack('g');
  EXPECT_EQ(b.view(), "abcdefg");
}

TEST(ChunkBytesTest, MovesOwnership) {
  ChunkBytes a;
  for (char c : std::string("xyz")) a.PushBack(c);
  ChunkBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_EQ(b.view(), "xyz");
  ChunkBytes c;
  c.PushBack('q');
  c = std::move(b);
  EXPECT_EQ(c.view(), "xyz");
}

TEST(BitWriterTest, PacksBitsMostSignificantFirst) {
  BitWriter w;
  w.WriteBit(true);
  w.WriteBits(0b0101, 4);
  w.WriteBits(0xABC, 12);  // crosses two byte boundaries
  w.WriteByte(0xFF);
  // 1 0101 1010 1011 1100 11111111 -> 10101101 01011110 01111111 1(0000000)
  EXPECT_EQ(w.bytes().view(), std::string("\xAD\x5E\x7F\x80", 4));
}

}  // namespace
}  // namespace argus::tsdb::chunkenc
