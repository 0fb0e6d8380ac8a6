# src/heapwalk
