"""First names the detector recognises as a person who promises («Сергей подготовит …»).

A short built-in list of common Russian and English first names (with the Latin spellings of the
Russian ones and their everyday short forms) is enough for the command line and the bench; the
product passes the names of the project's team as well, so an unusual name is found too.
"""

from __future__ import annotations

from collections.abc import Iterable

COMMON = """
Александр Алексей Анатолий Андрей Антон Артём Артем Борис Вадим Валентин Валерий Василий Виктор
Виталий Владимир Владислав Всеволод Вячеслав Геннадий Георгий Глеб Григорий Даниил Денис Дмитрий
Евгений Егор Иван Игорь Илья Кирилл Константин Леонид Максим Марк Матвей Михаил Никита Николай
Олег Павел Пётр Петр Роман Руслан Семён Семен Сергей Станислав Степан Тимофей Тимур Фёдор Федор
Юрий Ярослав Саша Серёжа Сережа Дима Миша Паша Женя Костя Лёша Леша Вова Коля Петя Слава
Алина Алла Алёна Алена Анастасия Анна Антонина Валентина Валерия Вера Вероника Виктория Галина
Дарья Диана Ева Евгения Екатерина Елена Елизавета Жанна Зоя Инна Ирина Карина Кира Кристина
Ксения Лариса Лидия Любовь Людмила Маргарита Марина Мария Надежда Наталья Наталия Нина Оксана
Ольга Полина Светлана София Софья Тамара Татьяна Ульяна Юлия Яна Вика Катя Лена Маша Настя Оля
Света Таня Юля Даша Аня Ира Наташа Соня Лиза Ксюша
Alexander Alexey Aleksey Andrey Andrei Anton Artem Boris Denis Dmitry Dmitri Egor Yegor Evgeny
Ivan Igor Ilya Kirill Konstantin Maxim Maksim Mikhail Nikita Nikolay Oleg Pavel Petr Pyotr Roman
Ruslan Sergey Sergei Stanislav Timur Vadim Vasily Viktor Victor Vitaly Vladimir Vladislav Yury
Yuri Alina Alena Anastasia Anna Daria Darya Diana Ekaterina Elena Elizaveta Evgenia Galina Inna
Irina Ksenia Kseniya Larisa Lyudmila Margarita Marina Maria Natalia Natalya Nina Oksana Olga Polina
Svetlana Sofia Tatiana Tatyana Valentina Valeria Vera Veronika Viktoria Victoria Viktoriya Yulia
Julia Yana Sasha Dima Misha Pasha Katya Masha Nastya Olya Vika Lena Tanya
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew
Mark Paul Steven Andrew Kevin Brian George Edward Tom Ben Sam Alex Nick Peter Jack Harry Oliver
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Emma Emily Olivia Sophie
Kate Anne Laura Rachel Helen Lucy Amy Claire Hannah Jane Alice Chloe
"""

_BUILT_IN = frozenset(w.casefold() for w in COMMON.split())


def known_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """Casefolded first names (and every word of the extra full names given)."""
    words = {
        w.casefold()
        for full in extra
        for w in str(full).replace("ё", "е").split() + str(full).split()
    }
    return _BUILT_IN | frozenset(w for w in words if len(w) > 1)
