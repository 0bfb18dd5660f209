using Tessera.Benchmarks;

return args.Length > 0 && args[0] == "gemm" ? GemmBench.Run(args[1..]) : 0;
