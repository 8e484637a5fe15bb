return RnnSearch.TrainerNode.Cli.TrainerCommandLine.Run(args);
