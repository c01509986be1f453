INSERT INTO `t` (`a`,`b`) VALUES (1,'x\'y'),(0x4142,_binary 'z');
