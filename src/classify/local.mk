# src/classify
