return RnnSearch.Coordinator.Cli.CommandLine.Run(args);
